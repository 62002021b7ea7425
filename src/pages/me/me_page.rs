use super::account::AccountSection;
use super::demo_identity::DemoIdentitySection;
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, endonym, use_i18n};
use crate::router::app_href;
use crate::state::{use_config, use_personal};
use citizen_core::Lang;
use citizen_core::module::Module;
use leptos::prelude::*;

#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    let personal = use_personal();
    let config = use_config();
    let community = config.community.clone();
    let languages = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <label class="choice">
                    <input type="radio" name="lang" value=lang.tag()
                        prop:checked=move || i18n.lang.get() == lang
                        on:change=move |_| personal.choose_language(i18n, lang) />
                    <span lang=lang.tag()>{endonym(lang)}</span>
                </label>
            }
        })
        .collect_view();
    let more = [
        (Module::Timebank, "/timebank", Msg::ModuleTimebank),
        (Module::Staff, "/staff", Msg::ModuleStaff),
    ]
    .into_iter()
    .filter(|(m, ..)| config.is_enabled(*m))
    .map(|(_, href, label)| view! { <li><a href=app_href(href) class="list-link">{move || i18n.t(label)}</a></li> })
    .collect_view();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::MeTitle).to_owned()) />
        <AccountSection />
        <DemoIdentitySection />
        <section class="section card" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{move || i18n.t(Msg::Settings)}</h2>
            <fieldset class="choices" data-testid="language-choice">
                <legend>{move || i18n.t(Msg::Language)}</legend>
                {languages}
            </fieldset>
            <label class="switch">
                <input type="checkbox" role="switch" data-testid="elder-mode"
                    prop:checked=move || personal.large_text.get()
                    on:change=move |ev| personal.choose_large_text(event_target_checked(&ev)) />
                <span class="switch__text">
                    <span>{move || i18n.t(Msg::ElderMode)}</span>
                    <span class="muted">{move || i18n.t(Msg::ElderModeHint)}</span>
                </span>
            </label>
        </section>
        <section class="section card" aria-labelledby="community-heading">
            <h2 id="community-heading">{move || i18n.t(Msg::MyCommunity)}</h2>
            <p data-testid="community-name">{move || community.get(i18n.lang.get()).to_owned()}</p>
        </section>
        <section class="section card" aria-labelledby="more-heading">
            <h2 id="more-heading">{move || i18n.t(Msg::MoreModules)}</h2>
            <ul class="list">{more}</ul>
        </section>
        <section class="section card" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">{move || i18n.t(Msg::Privacy)}</h2>
            <p>{move || i18n.t(Msg::PrivacyBody)}</p>
        </section>
    }
}
