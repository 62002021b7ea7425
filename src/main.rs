use citizen_cloud::App;

/// Talc instead of dlmalloc: see Cargo.toml.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

fn main() {
    // A bug's panic message goes to the console (the bundle aborts on panic, which alone says
    // only "unreachable"). Without the JS stack console_error_panic_hook adds: that crate cost
    // 1.1 KB gzip of the first load for what the browser's own trace of the abort shows.
    // The message only: formatting the whole panic info (with its location) costs 0.5 KB more.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
        console_error(message.unwrap_or("panic"));
    }));
    citizen_cloud::browser::dom::mark_boot_running();
    leptos::mount::mount_to_body(App);
}
