/// `GET api/v1/catalog`: the server's catalog, with each tile's pinyin.
#[derive(Debug, Clone, Copy)]
pub struct RestCatalog;

impl RestCatalog {
    pub fn address(&self) -> &'static str {
        citizen_core::catalog::REST_ADDRESS
    }
}
