/** The machine most built-in scenarios run on: 2 clusters x 2 cores, 8 frames each, 16 pages. */
export const base = { clusters: 2, coresPerCluster: 2, framesPerCluster: 8, wordsPerPage: 1, vpnCount: 16 };
