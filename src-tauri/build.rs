fn main() {
    // Bootstrap comes from npm and is shipped inside the bundle; fail early with the fix.
    if !std::path::Path::new("ui/vendor/bootstrap.min.css").exists() {
        panic!("ui/vendor/ is missing: run `npm ci` at the repository root first (it copies Bootstrap from node_modules)");
    }
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=ui");
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/*.json"),
    )
    .expect("tauri build step failed");
}
