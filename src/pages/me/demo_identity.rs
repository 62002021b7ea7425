//! 我的 › 演示身份: on the in-browser `local` requests backend, or at a city's endpoint in an app
//! without accounts, nobody signs in, so the person trying the demo picks who they are: resident
//! A, resident B or community staff. It is labelled as a demo everywhere it shows.

use crate::i18n::{Msg, use_i18n};
use crate::state::acting::{DemoPerson, choose_demo_person, demo_acts, demo_person};
use crate::state::use_backends;
use crate::state::use_config;
use citizen_core::module::Module;
use leptos::prelude::*;

#[component]
pub fn DemoIdentitySection() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let backends = use_backends();
    let demo = demo_acts(backends.requests, backends.account.is_some());
    if !demo || !config.is_enabled(Module::Requests) {
        return ().into_any();
    }
    let current: RwSignal<DemoPerson> = demo_person().into();
    let choices = DemoPerson::ALL
        .into_iter()
        .map(|person| {
            view! {
                <label class="choice">
                    <input type="radio" name="demo-identity" value=person.id()
                        prop:checked=move || current.get() == person
                        on:change=move |_| choose_demo_person(person) />
                    <span>{i18n.text(person.name())}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="section card" aria-labelledby="demo-heading" data-testid="demo-identity">
            <h2 id="demo-heading">{i18n.text(Msg::DemoIdentity)}</h2>
            <p class="muted">{i18n.text(Msg::DemoIdentityHint)}</p>
            <fieldset class="choices">
                <legend>{i18n.text(Msg::DemoIdentity)}</legend>
                {choices}
            </fieldset>
        </section>
    }
    .into_any()
}
