//! Process trees and their memory, as /proc reports them.

/// One process and its memory, as /proc reports it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ProcessMemory {
    /// Process id.
    pub pid: u32,
    /// Its name as /proc abbreviates it (15 bytes, e.g. `WebKitWebProces`).
    pub name: String,
    /// Resident set (VmRSS): every page it maps that is in memory, shared or not.
    pub rss_kb: u64,
    /// Proportional set (smaps_rollup Pss): shared pages divided among the processes mapping them.
    pub pss_kb: u64,
    /// Private pages only (USS): what ending this process would give back.
    pub private_kb: u64,
}

pub use spotify_plus_proc_tree::descendants;

/// The first process below `root` whose /proc name is `name` (abbreviated to 15 bytes there).
pub fn find_below(root: u32, name: &str) -> Option<u32> {
    let short: String = name.chars().take(15).collect();
    descendants(root)
        .into_iter()
        .find(|(_, n)| *n == short)
        .map(|(pid, _)| pid)
}

/// `root` and every process below it, with their memory.
pub fn tree_memory(root: u32) -> Vec<ProcessMemory> {
    let name = std::fs::read_to_string(format!("/proc/{root}/comm")).unwrap_or_default();
    std::iter::once((root, name.trim().to_string()))
        .chain(descendants(root))
        .map(|(pid, name)| {
            let rollup = format!("/proc/{pid}/smaps_rollup");
            ProcessMemory {
                pid,
                name,
                rss_kb: field_kb(&format!("/proc/{pid}/status"), "VmRSS:"),
                pss_kb: field_kb(&rollup, "Pss:"),
                private_kb: field_kb(&rollup, "Private_Clean:")
                    + field_kb(&rollup, "Private_Dirty:"),
            }
        })
        .collect()
}

/// A `Name:   123 kB` line of a /proc file, in kB (0 when absent).
fn field_kb(path: &str, name: &str) -> u64 {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
