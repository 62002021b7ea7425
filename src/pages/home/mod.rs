//! 首页: search first, then the resident's own tiles, the catalog's doors, and what is nearby.

mod home_page;
mod nearby;
mod nearby_messages;

pub use home_page::HomePage;
