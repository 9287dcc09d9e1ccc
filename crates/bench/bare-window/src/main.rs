//! An empty Tauri 2 window on a blank page: what the benchmark compares the app's memory with,
//! built with the same Tauri, the same WebKitGTK and the same window size as the app.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("error while running the bare window");
}
