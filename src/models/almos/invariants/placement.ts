/**
 * placement (invariant 4, every step): the page mapped by the reference GPT lives where the vseg type
 * says (shared/spec/almos-mkh.md, vseg table): DATA in `target(vpn) = vpn mod clusters`, ANON and
 * REMOTE in the vseg's cluster, FILE is the file mapper's page for that vpn (no allocation). The home
 * cluster of a page is ppnHome(ppn). Distribution is ALMOS-MKH's answer to memory contention; a page
 * in the wrong cluster also breaks the assumptions of the release path (freed to its home cluster).
 * Edge cases: only the reference GPT is checked (copies must equal it: copyCoherence); STACK and CODE
 * are private (privateLocality); a reference entry outside every reference vseg is left to
 * mappingsInsideVsegs.
 */
import type { Invariant } from '../../../engine/types.js';
import { ppnHome } from '../../../hw/ids.js';
import type { AlmosShared, FileMapper, Process } from '../state.js';
import { dataTarget } from '../util.js';
import { procReads } from './reads.js';
import { mappings, refVseg, showMapping } from './scan.js';

export const placement: Invariant<AlmosShared> = {
  name: 'placement',
  when: 'step',
  reads: [...procReads, 'files', 'clusters', 'framesPerCluster'],
  check(st) {
    const s = st.shared;
    for (const m of mappings(s)) {
      if (m.cxy !== (s.proc[m.pid] as Process).ref) continue;
      const v = refVseg(s, m.pid, m.vpn);
      if (v === undefined) continue;
      const home = ppnHome(m.pte.ppn, s.framesPerCluster);
      if (v.type === 'DATA' && home !== dataTarget(s, m.vpn)) {
        return `${showMapping(m)}: DATA page lives in cluster ${home}, target(${m.vpn}) is ${dataTarget(s, m.vpn)}`;
      }
      if ((v.type === 'ANON' || v.type === 'REMOTE') && home !== v.cxy) {
        return `${showMapping(m)}: ${v.type} page lives in cluster ${home}, the vseg's cluster is ${v.cxy}`;
      }
      if (v.type === 'FILE') {
        const page = (s.files[v.file] as FileMapper).pages[m.vpn - v.base];
        if (page !== m.pte.ppn)
          return `${showMapping(m)}: FILE vseg maps ppn ${m.pte.ppn}, its mapper page is ${page}`;
      }
    }
    return null;
  },
};
