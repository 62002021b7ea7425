//! 我的: settings (language, elder mode), the community, privacy, and the other modules.

mod me_page;

pub use me_page::MePage;
