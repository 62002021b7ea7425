//! Sending one command about one request, as the resident's and the staff's screens both do:
//! one at a time, with the reason the last one failed kept for the screen.

use crate::backend::requests::{RequestsBackend, RequestsError};
use crate::i18n::Msg;
use crate::state::loader::act;
use citizen_core::requests::{CommandBody, RequestView};
use leptos::prelude::*;

/// A field of the screen that shows the server's refusal of it: its name in the command body,
/// where the screen shows its error, and the words.
pub type FieldRefusal = (&'static str, RwSignal<Option<Msg>>, Msg);

#[derive(Clone, Copy)]
pub struct CommandSender {
    backend: RequestsBackend,
    token: StoredValue<String>,
    tracking: StoredValue<String>,
    /// A command is on its way: the buttons wait.
    pub sending: RwSignal<bool>,
    /// Why the last command failed, when no field of the screen can say it.
    pub failure: RwSignal<Option<RequestsError>>,
    fields: StoredValue<Vec<FieldRefusal>>,
}

impl CommandSender {
    pub fn new(
        backend: RequestsBackend,
        token: StoredValue<String>,
        tracking: StoredValue<String>,
        fields: Vec<FieldRefusal>,
    ) -> CommandSender {
        CommandSender {
            backend,
            token,
            tracking,
            sending: RwSignal::new(false),
            failure: RwSignal::new(None),
            fields: StoredValue::new(fields),
        }
    }

    /// Shows a refused field where the screen shows it; whether it does.
    fn show_field(self, name: &str) -> bool {
        let field = self.fields.try_with_value(|fields| {
            fields
                .iter()
                .find(|(field, ..)| *field == name)
                .map(|&(_, error, msg)| (error, msg))
        });
        match field.flatten() {
            Some((error, msg)) => {
                error.set(Some(msg));
                true
            }
            None => false,
        }
    }

    /// Sends `body` unless another command is on its way. `done` gets the request as it now is.
    pub fn send(self, body: CommandBody, done: impl Fn(RequestView) + 'static) {
        self.failure.set(None);
        let answer = async move {
            self.backend
                .command(&self.token.get_value(), &self.tracking.get_value(), &body)
                .await
        };
        act(self.sending, answer, move |result| match result {
            Ok(view) => done(view),
            Err(RequestsError::Field(name)) if self.show_field(&name) => {}
            Err(e) => {
                leptos::logging::warn!("the command failed: {e}");
                self.failure.set(Some(e));
            }
        });
    }
}
