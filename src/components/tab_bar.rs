use super::icon::{Icon, IconKind};
use crate::browser::dom::app_href;
use crate::i18n::{Msg, use_i18n};
use crate::state::use_config;
use citizen_core::module::Module;
use leptos::prelude::*;
use leptos_router::components::A;

/// The bottom tab bar: 首页 办事 诉求 志愿 我的, less the modules this community switched off.
#[component]
pub fn TabBar() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
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
    let links = tabs
        .into_iter()
        .filter(|(module, ..)| module.is_none_or(|m| config.is_enabled(m)))
        .map(|(_, href, label, icon, exact)| {
            view! {
                <li>
                    <A href=app_href(href) exact=exact attr:class="tab-bar__link">
                        <Icon kind=icon />
                        <span>{move || i18n.t(label)}</span>
                    </A>
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
