/**
 * berth's default seccomp profile, in containers-common's format: the calls ordinary programs
 * make are allowed, including user namespaces (`unshare`, `clone`), which nested builds need;
 * whatever the kernel has besides fails with ENOSYS, so programs fall back as on an older
 * kernel. Calls that only make sense with a capability are allowed only when the container
 * has it (`--cap-add`). The same policy as podman's default, written for berth.
 *
 * @module
 */
import type { SeccompProfile, SeccompRule } from "./seccomp.ts";

const EPERM = 1;
const ENOSYS = 38;

/** Names from a whitespace-separated block. */
function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Allowed with every one of `caps`, refused with EPERM without. */
function withCaps(caps: string[], names: string): SeccompRule[] {
  return [
    { names: words(names), action: "SCMP_ACT_ALLOW", includes: { caps } },
    { names: words(names), action: "SCMP_ACT_ERRNO", errnoRet: EPERM, excludes: { caps } },
  ];
}

const ALLOWED = `
  read write readv writev pread64 pwrite64 preadv preadv2 pwritev pwritev2
  open openat openat2 creat close close_range lseek _llseek dup dup2 dup3 fcntl fcntl64 ioctl
  flock fsync fdatasync sync syncfs sync_file_range truncate truncate64 ftruncate ftruncate64
  fallocate fadvise64 fadvise64_64 readahead sendfile sendfile64 splice tee
  copy_file_range pipe pipe2
  stat stat64 lstat lstat64 fstat fstat64 newfstatat fstatat64 statx statfs statfs64 fstatfs
  fstatfs64 access faccessat faccessat2 getdents getdents64 getcwd chdir fchdir mkdir mkdirat
  rmdir rename renameat renameat2 link linkat symlink symlinkat unlink unlinkat readlink
  readlinkat chmod fchmod fchmodat fchmodat2 chown chown32 fchown fchown32 fchownat lchown
  lchown32 umask utime utimes utimensat utimensat_time64 futimesat mknod mknodat
  getxattr lgetxattr fgetxattr setxattr lsetxattr fsetxattr listxattr llistxattr flistxattr
  removexattr lremovexattr fremovexattr
  inotify_init inotify_init1 inotify_add_watch inotify_rm_watch fanotify_mark
  select _newselect pselect6 pselect6_time64 poll ppoll ppoll_time64 epoll_create epoll_create1
  epoll_ctl epoll_ctl_old epoll_wait epoll_wait_old epoll_pwait epoll_pwait2 eventfd eventfd2
  signalfd signalfd4 timerfd_create timerfd_settime timerfd_settime64 timerfd_gettime
  timerfd_gettime64
  brk mmap mmap2 munmap mremap mprotect pkey_mprotect pkey_alloc pkey_free madvise mincore mlock
  mlock2 mlockall munlock munlockall msync remap_file_pages get_mempolicy set_mempolicy mbind
  memfd_create memfd_secret membarrier
  fork vfork clone clone3 execve execveat exit exit_group wait4 waitid waitpid kill tkill tgkill
  getpid getppid gettid getpgid setpgid getpgrp getsid setsid
  getuid getuid32 geteuid geteuid32 getgid getgid32 getegid getegid32 setuid setuid32 setgid
  setgid32 setreuid setreuid32 setregid setregid32 setresuid setresuid32 setresgid setresgid32
  getresuid getresuid32 getresgid getresgid32 setfsuid setfsuid32 setfsgid setfsgid32 getgroups
  getgroups32 setgroups setgroups32 capget capset prctl set_tid_address set_robust_list
  get_robust_list futex futex_time64 futex_waitv futex_wake futex_wait futex_requeue rseq
  restart_syscall sched_yield sched_getaffinity sched_setaffinity sched_getparam sched_setparam
  sched_getscheduler sched_setscheduler sched_get_priority_max sched_get_priority_min
  sched_rr_get_interval sched_rr_get_interval_time64 sched_getattr sched_setattr getpriority
  setpriority ioprio_get ioprio_set getrlimit setrlimit ugetrlimit prlimit64 getrusage times
  sysinfo uname unshare pidfd_open pidfd_send_signal pidfd_getfd ptrace
  process_mrelease
  rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigqueueinfo rt_sigsuspend
  rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sigaction sigprocmask sigreturn
  sigpending sigsuspend sigaltstack signal pause alarm getitimer setitimer
  time gettimeofday clock_gettime clock_gettime64 clock_getres clock_getres_time64
  clock_nanosleep clock_nanosleep_time64 nanosleep timer_create timer_delete timer_getoverrun
  timer_gettime timer_gettime64 timer_settime timer_settime64 adjtimex clock_adjtime
  clock_adjtime64
  socketpair bind connect listen accept accept4 getsockname getpeername getsockopt setsockopt
  sendto recvfrom send recv sendmsg recvmsg sendmmsg recvmmsg recvmmsg_time64 shutdown
  socketcall
  msgget msgsnd msgrcv msgctl semget semop semtimedop semtimedop_time64 semctl shmget shmat shmdt
  shmctl ipc mq_open mq_unlink mq_timedsend mq_timedsend_time64 mq_timedreceive
  mq_timedreceive_time64 mq_notify mq_getsetattr
  io_setup io_destroy io_submit io_cancel io_getevents
  getrandom getcpu seccomp get_thread_area set_thread_area landlock_create_ruleset
  landlock_add_rule landlock_restrict_self name_to_handle_at keyctl
  mount umount umount2 mount_setattr move_mount open_tree fsopen fsconfig fsmount fspick
  pivot_root setns syslog reboot cachestat map_shadow_stack
  readdir timerfd syscall process_vm_readv process_vm_writev
`;

/** Old, obsolete or host-wide calls, refused with EPERM whatever the capabilities. */
const REFUSED = `
  bdflush kexec_file_load kexec_load migrate_pages move_pages nfsservctl nice oldfstat oldlstat
  oldolduname oldstat pciconfig_iobase pciconfig_read pciconfig_write sgetmask ssetmask
  swapcontext swapoff swapon sysfs uselib userfaultfd ustat vm86 vm86old io_pgetevents olduname
  vmsplice
`;

/** personality(2) only for the common domains: no ADDR_NO_RANDOMIZE and the like. */
const PERSONALITIES = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

/** The profile berth applies unless told otherwise (`--security-opt seccomp=…`). */
export const DEFAULT_SECCOMP_PROFILE: SeccompProfile = {
  defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: ENOSYS,
  archMap: [
    { architecture: "SCMP_ARCH_X86_64", subArchitectures: ["SCMP_ARCH_X86", "SCMP_ARCH_X32"] },
    { architecture: "SCMP_ARCH_AARCH64", subArchitectures: ["SCMP_ARCH_ARM"] },
    { architecture: "SCMP_ARCH_RISCV64", subArchitectures: [] },
    { architecture: "SCMP_ARCH_S390X", subArchitectures: ["SCMP_ARCH_S390"] },
    { architecture: "SCMP_ARCH_PPC64LE", subArchitectures: [] },
  ],
  syscalls: [
    { names: words(REFUSED), action: "SCMP_ACT_ERRNO", errnoRet: EPERM },
    { names: words(ALLOWED), action: "SCMP_ACT_ALLOW" },
    ...PERSONALITIES.map((value): SeccompRule => ({
      names: ["personality"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, value, valueTwo: 0, op: "SCMP_CMP_EQ" }],
    })),
    { names: ["arch_prctl"], action: "SCMP_ACT_ALLOW", includes: { arches: ["amd64", "x32"] } },
    {
      names: ["modify_ldt"],
      action: "SCMP_ACT_ALLOW",
      includes: { arches: ["amd64", "x32", "x86"] },
    },
    {
      names: words("arm_fadvise64_64 arm_sync_file_range breakpoint cacheflush set_tls"),
      action: "SCMP_ACT_ALLOW",
      includes: { arches: ["arm", "arm64"] },
    },
    {
      names: ["sync_file_range2"],
      action: "SCMP_ACT_ALLOW",
      includes: { arches: ["arm", "arm64", "ppc64le"] },
    },
    {
      names: ["riscv_flush_icache"],
      action: "SCMP_ACT_ALLOW",
      includes: { arches: ["riscv64"] },
    },
    {
      names: words("s390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr"),
      action: "SCMP_ACT_ALLOW",
      includes: { arches: ["s390", "s390x"] },
    },
    ...withCaps(["CAP_DAC_READ_SEARCH"], "open_by_handle_at"),
    ...withCaps(
      ["CAP_SYS_ADMIN"],
      "bpf fanotify_init lookup_dcookie perf_event_open quotactl quotactl_fd sethostname setdomainname",
    ),
    ...withCaps(["CAP_SYS_MODULE"], "delete_module finit_module init_module query_module"),
    ...withCaps(["CAP_SYS_PACCT"], "acct"),
    ...withCaps(["CAP_SYS_PTRACE"], "kcmp process_madvise"),
    ...withCaps(["CAP_SYS_CHROOT"], "chroot"),
    ...withCaps(["CAP_SYS_RAWIO"], "ioperm iopl"),
    ...withCaps(["CAP_SYS_TIME"], "clock_settime clock_settime64 settimeofday stime"),
    ...withCaps(["CAP_SYS_TTY_CONFIG"], "vhangup"),
    // The kernel's audit socket only with CAP_AUDIT_WRITE (EINVAL, as if it did not exist).
    {
      names: ["socket"],
      action: "SCMP_ACT_ERRNO",
      errnoRet: 22,
      args: [
        { index: 0, value: 16, valueTwo: 0, op: "SCMP_CMP_EQ" },
        { index: 2, value: 9, valueTwo: 0, op: "SCMP_CMP_EQ" },
      ],
      excludes: { caps: ["CAP_AUDIT_WRITE"] },
    },
    {
      names: ["socket"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 2, value: 9, valueTwo: 0, op: "SCMP_CMP_NE" }],
      excludes: { caps: ["CAP_AUDIT_WRITE"] },
    },
    {
      names: ["socket"],
      action: "SCMP_ACT_ALLOW",
      args: [{ index: 0, value: 16, valueTwo: 0, op: "SCMP_CMP_NE" }],
      excludes: { caps: ["CAP_AUDIT_WRITE"] },
    },
    { names: ["socket"], action: "SCMP_ACT_ALLOW", includes: { caps: ["CAP_AUDIT_WRITE"] } },
  ],
};
