/**
 * Hardware identifiers as branded numbers (shared/design.md style): a cluster (`cxy` in ALMOS-MKH), a
 * physical page number, a virtual page number. A PPN encodes its home cluster:
 * `ppn = cxy * framesPerCluster + index` (the page descriptor lives in that cluster).
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type ClusterId = Brand<number, 'ClusterId'>;
export type Ppn = Brand<number, 'Ppn'>;
export type Vpn = Brand<number, 'Vpn'>;

export const asCluster = (n: number): ClusterId => n as ClusterId;
export const asPpn = (n: number): Ppn => n as Ppn;
export const asVpn = (n: number): Vpn => n as Vpn;

export function ppnHome(ppn: number, framesPerCluster: number): ClusterId {
  return asCluster(Math.floor(ppn / framesPerCluster));
}

export function firstPpn(cxy: number, framesPerCluster: number): Ppn {
  return asPpn(cxy * framesPerCluster);
}
