//! 办事: the whole catalog by category, and one tile's page.

mod messages;
mod services_page;
mod tile_page;

pub use services_page::ServicesPage;
pub use tile_page::TilePage;
