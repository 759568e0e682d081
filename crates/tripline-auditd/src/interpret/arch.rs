//! Machines (`arch=` AUDIT_ARCH codes) and their syscall tables.
//!
//! The tables are libaudit's own (`ausyscall <arch> --dump` of audit 1:3.0.9, checked in under
//! `data/syscalls/`), parsed once on first use; riscv64, which that libaudit lacks, comes from
//! the kernel's generic table. A test compares the files with `ausyscall` when it is installed.

use std::sync::OnceLock;

/// A machine with a syscall table, decoded from the `arch=` AUDIT_ARCH code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Machine {
    /// `c000003e`.
    X86_64,
    /// `40000003`.
    I386,
    /// `c00000b7`.
    Aarch64,
    /// `40000028` (little endian) and `00000028` (big endian); libaudit calls it `armeb`.
    Arm,
    /// `80000015`.
    Ppc64,
    /// `c0000015`.
    Ppc64le,
    /// `00000014`.
    Ppc,
    /// `80000016`.
    S390x,
    /// `00000016`.
    S390,
    /// `c00000f3` (not known to ausearch 3.0.9).
    Riscv64,
}

const ALL: [Machine; 10] = [
    Machine::X86_64,
    Machine::I386,
    Machine::Aarch64,
    Machine::Arm,
    Machine::Ppc64,
    Machine::Ppc64le,
    Machine::Ppc,
    Machine::S390x,
    Machine::S390,
    Machine::Riscv64,
];

impl Machine {
    /// Every machine with a table.
    pub fn all() -> &'static [Machine] {
        &ALL
    }

    /// Decodes an AUDIT_ARCH code (`arch=c000003e` → x86_64).
    pub fn from_audit_arch(code: u32) -> Option<Machine> {
        Some(match code {
            0xc000_003e => Machine::X86_64,
            0x4000_0003 => Machine::I386,
            0xc000_00b7 => Machine::Aarch64,
            0x4000_0028 | 0x0000_0028 => Machine::Arm,
            0x8000_0015 => Machine::Ppc64,
            0xc000_0015 => Machine::Ppc64le,
            0x0000_0014 => Machine::Ppc,
            0x8000_0016 => Machine::S390x,
            0x0000_0016 => Machine::S390,
            0xc000_00f3 => Machine::Riscv64,
            _ => return None,
        })
    }

    /// Parses the hex text of an `arch=` field.
    pub fn from_arch_field(raw: &str) -> Option<Machine> {
        u32::from_str_radix(raw.trim(), 16)
            .ok()
            .and_then(Machine::from_audit_arch)
    }

    /// The name ausearch prints for `arch=` (libaudit's machine name; `armeb` for ARM).
    pub fn name(self) -> &'static str {
        match self {
            Machine::X86_64 => "x86_64",
            Machine::I386 => "i386",
            Machine::Aarch64 => "aarch64",
            Machine::Arm => "armeb",
            Machine::Ppc64 => "ppc64",
            Machine::Ppc64le => "ppc64le",
            Machine::Ppc => "ppc",
            Machine::S390x => "s390x",
            Machine::S390 => "s390",
            Machine::Riscv64 => "riscv64",
        }
    }

    /// The machine of the running process, which ausearch falls back to when a record has
    /// no (known) `arch=`.
    pub fn host() -> Option<Machine> {
        match std::env::consts::ARCH {
            "x86_64" => Some(Machine::X86_64),
            "x86" => Some(Machine::I386),
            "aarch64" => Some(Machine::Aarch64),
            "arm" => Some(Machine::Arm),
            "powerpc64" if cfg!(target_endian = "little") => Some(Machine::Ppc64le),
            "powerpc64" => Some(Machine::Ppc64),
            "powerpc" => Some(Machine::Ppc),
            "s390x" => Some(Machine::S390x),
            "riscv64" => Some(Machine::Riscv64),
            _ => None,
        }
    }

    fn index(self) -> usize {
        ALL.iter().position(|m| *m == self).unwrap_or(0)
    }

    /// The checked-in table text for this machine.
    pub fn table_source(self) -> &'static str {
        match self {
            Machine::X86_64 => include_str!("../../data/syscalls/x86_64.txt"),
            Machine::I386 => include_str!("../../data/syscalls/i386.txt"),
            Machine::Aarch64 => include_str!("../../data/syscalls/aarch64.txt"),
            Machine::Arm => include_str!("../../data/syscalls/arm.txt"),
            Machine::Ppc64 => include_str!("../../data/syscalls/ppc64.txt"),
            Machine::Ppc64le => include_str!("../../data/syscalls/ppc64le.txt"),
            Machine::Ppc => include_str!("../../data/syscalls/ppc.txt"),
            Machine::S390x => include_str!("../../data/syscalls/s390x.txt"),
            Machine::S390 => include_str!("../../data/syscalls/s390.txt"),
            Machine::Riscv64 => include_str!("../../data/syscalls/riscv64.tsv"),
        }
    }

    fn table(self) -> &'static SyscallTable {
        static TABLES: OnceLock<Vec<SyscallTable>> = OnceLock::new();
        &TABLES.get_or_init(|| {
            ALL.iter()
                .map(|m| SyscallTable::parse(m.table_source()))
                .collect()
        })[self.index()]
    }

    /// The syscall name for a number on this machine.
    pub fn syscall_name(self, number: u64) -> Option<&'static str> {
        let t = self.table();
        usize::try_from(number)
            .ok()
            .and_then(|n| t.by_number.get(n).copied().flatten())
    }

    /// The syscall number for a name on this machine.
    pub fn syscall_number(self, name: &str) -> Option<u32> {
        let t = self.table();
        t.by_name
            .binary_search_by(|(n, _)| (*n).cmp(name))
            .ok()
            .map(|i| t.by_name[i].1)
    }
}

struct SyscallTable {
    by_number: Vec<Option<&'static str>>,
    by_name: Vec<(&'static str, u32)>,
}

impl SyscallTable {
    /// Lines `NUMBER<TAB>NAME`; anything else (the `Using … table:` banner, comments) is skipped.
    fn parse(src: &'static str) -> SyscallTable {
        let mut by_number: Vec<Option<&'static str>> = Vec::new();
        let mut by_name = Vec::new();
        for line in src.lines() {
            let Some((num, name)) = line.split_once('\t') else {
                continue;
            };
            let Ok(n) = num.trim().parse::<u32>() else {
                continue;
            };
            let idx = n as usize;
            if by_number.len() <= idx {
                by_number.resize(idx + 1, None);
            }
            by_number[idx] = Some(name.trim());
            by_name.push((name.trim(), n));
        }
        by_name.sort_unstable();
        SyscallTable { by_number, by_name }
    }
}

/// The `arch=` interpretation: the machine name, or `unknown-elf-type(RAW)` like ausearch.
///
/// Codes that ausearch 3.0.9 cannot name but we can (riscv64) are named.
pub fn arch_name(raw: &str) -> String {
    match Machine::from_arch_field(raw) {
        Some(m) => m.name().to_string(),
        None => format!("unknown-elf-type({raw})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        assert_eq!(Machine::X86_64.syscall_name(59), Some("execve"));
        assert_eq!(Machine::I386.syscall_name(11), Some("execve"));
        assert_eq!(Machine::Aarch64.syscall_name(221), Some("execve"));
        assert_eq!(Machine::Riscv64.syscall_name(221), Some("execve"));
        assert_eq!(
            Machine::Riscv64.syscall_name(259),
            Some("riscv_flush_icache")
        );
        assert_eq!(Machine::S390x.syscall_name(11), Some("execve"));
        assert_eq!(Machine::Ppc64le.syscall_name(11), Some("execve"));
        assert_eq!(Machine::Arm.syscall_name(11), Some("execve"));
        assert_eq!(Machine::X86_64.syscall_name(100_000), None);
        assert_eq!(Machine::X86_64.syscall_number("openat"), Some(257));
        assert_eq!(Machine::I386.syscall_number("socketcall"), Some(102));
    }

    #[test]
    fn every_table_is_nonempty_and_round_trips() {
        for m in Machine::all() {
            let t = m.table();
            assert!(t.by_name.len() > 250, "{m:?}");
            for (name, n) in &t.by_name {
                assert_eq!(m.syscall_name(u64::from(*n)), Some(*name));
            }
        }
    }

    #[test]
    fn arch_codes() {
        assert_eq!(arch_name("c000003e"), "x86_64");
        assert_eq!(arch_name("40000003"), "i386");
        assert_eq!(arch_name("40000028"), "armeb");
        assert_eq!(arch_name("c00000f3"), "riscv64");
        assert_eq!(arch_name("deadbeef"), "unknown-elf-type(deadbeef)");
        assert_eq!(arch_name("zz"), "unknown-elf-type(zz)");
    }
}
