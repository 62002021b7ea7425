//! Sending one command about one request, as the resident's and the staff's screens both do:
//! one at a time, with the reason the last one failed kept for the screen.

use crate::backend::requests::{RequestsBackend, RequestsError};
use crate::state::loader::act;
use citizen_core::requests::{CommandBody, RequestView};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct CommandSender {
    backend: RequestsBackend,
    token: StoredValue<String>,
    tracking: StoredValue<String>,
    /// A command is on its way: the buttons wait.
    pub sending: RwSignal<bool>,
    /// Why the last command failed, when no field of the screen can say it.
    pub failure: RwSignal<Option<RequestsError>>,
}

impl CommandSender {
    pub fn new(
        backend: RequestsBackend,
        token: StoredValue<String>,
        tracking: StoredValue<String>,
    ) -> CommandSender {
        CommandSender {
            backend,
            token,
            tracking,
            sending: RwSignal::new(false),
            failure: RwSignal::new(None),
        }
    }

    /// Sends `body` unless another command is on its way. `done` gets the request as it now is;
    /// `on_field` gets a field the server refused and says whether the screen showed it there.
    pub fn send(
        self,
        body: CommandBody,
        done: impl Fn(RequestView) + 'static,
        on_field: impl Fn(&str) -> bool + 'static,
    ) {
        if self.sending.get_untracked() {
            return;
        }
        self.failure.set(None);
        let answer = async move {
            self.backend
                .command(&self.token.get_value(), &self.tracking.get_value(), &body)
                .await
        };
        act(self.sending, answer, move |result| match result {
            Ok(view) => done(view),
            Err(RequestsError::Field(name)) if on_field(&name) => {}
            Err(e) => {
                leptos::logging::warn!("the command failed: {e}");
                self.failure.set(Some(e));
            }
        });
    }
}
