// What the guest's page cache holds when a machine state is saved: the base snapshot and every task's.

/**
 * Kept whole in the guest's page cache: every new shell and command reads them (and the page's first
 * command sets the console's size with stty). After a restore, a read that misses the page cache makes
 * v86 download the file's whole blob: 1.6 MB for these before the first prompt, while most of their
 * pages are in the state anyway, mapped by the running processes.
 */
export const HOT_FILES = [
  "/usr/bin/bash",
  "/usr/bin/stty",
  "/usr/lib/i386-linux-gnu/libc.so.6",
  "/usr/lib/i386-linux-gnu/ld-linux.so.2",
  "/usr/lib/i386-linux-gnu/libtinfo.so.6",
  "/etc/ld.so.cache",
];

/**
 * Run after the caches are dropped, with the readahead of the 9p root (the only 9p mount) off, so the
 * page cache keeps exactly the pages they touch. After a restore their first run then fetches no
 * blob: python3 -c 1 fetched 8 files (8 MB in the guest, the whole python3.11 among them) and now
 * none, for 0.9 MB more state. NOTE: dig and curl too would make the state 11.9 MB, over its 10 MB
 * budget.
 */
export const PAGE_CACHE_PROGRAMS = ["python3 -c 1"];

/**
 * Drops the clean page cache (a state holds every non-zero page), then reads back exactly the hot files
 * and the programs' pages. NOTE: a task's state is saved this way too: it then holds the same warm pages
 * as the base (found in the base by content, so its patch hardly grows), where dropping the caches alone
 * left a restored task colder than the base (python, bash and libc read again, blobs downloaded again).
 */
export const WARM_PAGE_CACHE_SCRIPT = [
  "echo 3 > /proc/sys/vm/drop_caches",
  `cat ${HOT_FILES.join(" ")} > /dev/null`,
  "readahead=$(echo /sys/class/bdi/9p-*/read_ahead_kb); kb=$(cat $readahead); echo 0 > $readahead",
  ...PAGE_CACHE_PROGRAMS.map((program) => `${program} > /dev/null 2>&1`),
  "echo $kb > $readahead",
].join("; ");
