use citizen_cloud::App;

fn main() {
    console_error_panic_hook::set_once();
    citizen_cloud::browser::dom::remove_boot_screen();
    leptos::mount::mount_to_body(App);
}
