use crate::i18n::{Msg, use_i18n};
use crate::state::session::SessionState;
use citizen_core::account::Role;
use leptos::prelude::*;

fn role_name(role: Role) -> Msg {
    match role {
        Role::Resident => Msg::RoleResident,
        Role::Volunteer => Msg::RoleVolunteer,
        Role::Staff => Msg::RoleStaff,
    }
}

/// The signed-in person: name, number, roles, and the way out.
#[component]
pub fn SignedInCard(session: SessionState) -> impl IntoView {
    let i18n = use_i18n();
    // Read straight from the session: a refreshed name or role shows without a re-render.
    let current = session.current;
    let name = move || current.with(|c| c.as_ref().map(|s| s.person.display_name.clone()));
    let mobile = move || current.with(|c| c.as_ref().map(|s| s.person.mobile.clone()));
    let roles = move || {
        current
            .with(|c| c.as_ref().map(|s| s.person.roles.clone()))
            .unwrap_or_default()
            .into_iter()
            .map(|role| view! { <li class="role">{i18n.text(role_name(role))}</li> })
            .collect_view()
    };
    let busy = session.signing_out;
    view! {
        <div class="account" data-testid="signed-in">
            <p class="account__name" data-testid="account-name">{name}</p>
            <dl class="facts">
                <dt>{i18n.text(Msg::MobileLabel)}</dt>
                <dd data-testid="account-mobile">{mobile}</dd>
                <dt>{i18n.text(Msg::Roles)}</dt>
                <dd><ul class="roles" data-testid="account-roles">{roles}</ul></dd>
            </dl>
            <div class="actions">
                <button type="button" class="button button--quiet" data-testid="sign-out"
                    disabled=move || busy.get()
                    on:click=move |_| session.sign_out()>
                    {move || i18n.t(if busy.get() { Msg::SigningOut } else { Msg::SignOut })}
                </button>
            </div>
        </div>
    }
}
