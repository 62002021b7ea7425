//! Reusable view pieces. One component per file.

pub mod catalog_search;
pub mod field;
pub mod icon;
pub mod lazy_screen;
pub mod loaded;
pub mod notice;
pub mod page_header;
pub mod search_box;
pub mod search_results;
pub mod sign_in_prompt;
pub mod tab_bar;
pub mod tile_list;
pub mod with_catalog;
