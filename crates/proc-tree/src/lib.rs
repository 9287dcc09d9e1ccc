//! The processes below a process, as Linux's /proc shows them. The app uses it to find WebKit's
//! helpers once its window is closed; tests and the benchmark use it to measure the same tree.
//! Elsewhere (no /proc) every tree is empty.

/// Every process below `root` (children, their children, ...) with its name, which /proc
/// abbreviates to 15 bytes (e.g. `WebKitWebProces`).
pub fn descendants(root: u32) -> Vec<(u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut all: Vec<(u32, u32, String)> = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        if let Some((ppid, name)) = parse_stat(&stat) {
            all.push((pid, ppid, name));
        }
    }
    let mut found = Vec::new();
    let mut parents = vec![root];
    while let Some(parent) = parents.pop() {
        for (pid, ppid, name) in &all {
            if *ppid == parent {
                found.push((*pid, name.clone()));
                parents.push(*pid);
            }
        }
    }
    found
}

/// The parent and name in a `/proc/PID/stat` line: `pid (name) state ppid ...`, where the name
/// may hold spaces and parentheses, so it ends at the last `)`.
fn parse_stat(stat: &str) -> Option<(u32, String)> {
    let (head, tail) = stat.rsplit_once(')')?;
    let name = head.split_once('(')?.1.to_string();
    let ppid = tail.split_whitespace().nth(1)?.parse().ok()?;
    Some((ppid, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_names_may_hold_spaces_and_parentheses() {
        assert_eq!(
            parse_stat("42 (Web (Content) x) S 7 42 42 0"),
            Some((7, "Web (Content) x".to_string()))
        );
        assert_eq!(parse_stat("garbage"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn descendants_are_found_by_name() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .expect("sleep runs");
        let found = descendants(std::process::id());
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            found.contains(&(child.id(), "sleep".to_string())),
            "{found:?}"
        );
    }
}
