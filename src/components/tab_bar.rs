use super::icon::{Icon, IconKind};
use crate::i18n::{Msg, use_i18n};
use crate::router::{app_href, use_navigation};
use crate::state::use_config;
use citizen_core::module::Module;
use leptos::prelude::*;

/// A tab is current on its own path and, unless `exact`, below it (办事 stays lit on a tile).
fn current(path: &str, href: &str, exact: bool) -> bool {
    path == href
        || (!exact
            && path
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/')))
}

/// The bottom tab bar: 首页 办事 诉求 志愿 我的, less the modules this community switched off.
#[component]
pub fn TabBar() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let navigation = use_navigation();
    let tabs = [
        (None, "/", Msg::NavHome, IconKind::Home, true),
        (
            Some(Module::Services),
            "/services",
            Msg::NavServices,
            IconKind::Grid,
            false,
        ),
        (
            Some(Module::Requests),
            "/requests",
            Msg::NavRequests,
            IconKind::Message,
            false,
        ),
        (
            Some(Module::Volunteer),
            "/volunteer",
            Msg::NavVolunteer,
            IconKind::Heart,
            false,
        ),
        (None, "/me", Msg::NavMe, IconKind::User, false),
    ];
    let path = Memo::new(move |_| navigation.url.with(|u| u.path.clone()));
    let links = tabs
        .into_iter()
        .filter(|(module, ..)| module.is_none_or(|m| config.is_enabled(m)))
        .map(|(_, href, label, icon, exact)| {
            view! {
                <li>
                    <a href=app_href(href) class="tab-bar__link"
                        aria-current=move || current(&path.read(), href, exact).then_some("page")>
                        <Icon kind=icon />
                        <span>{move || i18n.t(label)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="tab-bar" aria-label=move || i18n.t(Msg::MainNavigation)>
            <ul>{links}</ul>
        </nav>
    }
}
