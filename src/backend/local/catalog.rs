/// The catalog shipped beside the bundle as `catalog.json` (fetched, not compiled in, so the
/// first download stays small and the browser caches it separately).
#[derive(Debug, Clone, Copy)]
pub struct LocalCatalog;

impl LocalCatalog {
    pub fn address(&self) -> &'static str {
        citizen_core::catalog::LOCAL_ADDRESS
    }
}
