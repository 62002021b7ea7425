use citizen_cloud::App;

fn main() {
    console_error_panic_hook::set_once();
    citizen_cloud::browser::dom::mark_boot_running();
    leptos::mount::mount_to_body(App);
}
