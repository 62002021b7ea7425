//! Interface text. Every word the app shows comes from here: Chinese (zh-CN) first, English
//! complete. Views never hold string literals; they ask [`I18n::t`] for a [`Msg`].

mod format;
mod messages;

pub use format::*;
pub use messages::Msg;
#[cfg(test)]
pub(crate) use messages::assert_complete;
pub(crate) use messages::messages;

use citizen_core::Lang;
use leptos::prelude::*;

/// The current language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// Reactive: call it inside a closure in a view so the text follows language switches.
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang.get())
    }

    /// `move || i18n.t(msg)` as one closure type for every message: each distinct closure in a
    /// view costs its own copy of the renderer's code in the bundle, this one is shared.
    pub fn text(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(msg)
    }
}

/// A language's name in itself (中文, English), the same whatever the current language.
pub fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "中文",
        Lang::En => "English",
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
