//! The one way a screen loads something in the background: a signal that is `None` while the
//! answer is awaited, filled by a spawned task, with reload and refresh; `components::loaded`
//! shows it the one way (loading, the failure in plain words with a retry button, or the data).
//! A plain signal rather than a `LocalResource` with `Suspense` keeps Leptos's async machinery
//! (tens of KB) out of the bundle.

use crate::backend::error::BackendError;
use crate::backend::requests::RequestsError;
use crate::backend::timebank::TimebankError;
use crate::backend::volunteer::VolunteerError;
use crate::i18n::Msg;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;

/// A failure a loader can show: its plain words (the details go to the console).
pub trait Failure: Display {
    fn message(&self) -> Msg;
}

impl Failure for BackendError {
    fn message(&self) -> Msg {
        BackendError::message(self)
    }
}

impl Failure for RequestsError {
    fn message(&self) -> Msg {
        RequestsError::message(self)
    }
}

impl Failure for VolunteerError {
    fn message(&self) -> Msg {
        VolunteerError::message(self)
    }
}

impl Failure for TimebankError {
    fn message(&self) -> Msg {
        TimebankError::message(self)
    }
}

type Fetch<T, E> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Result<T, E>>>>>;

/// Something loaded in the background: `state` is `None` while the first answer is awaited.
pub struct Loader<T: 'static, E: 'static> {
    pub state: RwSignal<Option<Result<T, E>>>,
    fetch: StoredValue<Fetch<T, E>, LocalStorage>,
    /// The newest load wins: an older answer arriving late is dropped.
    generation: StoredValue<u32>,
}

impl<T, E> Clone for Loader<T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, E> Copy for Loader<T, E> {}

impl<T, E> Loader<T, E>
where
    T: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    /// Starts loading now with `fetch`, which runs again on every reload.
    pub fn new<Fut>(fetch: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = Result<T, E>> + 'static,
    {
        Loader::into(RwSignal::new(None), fetch)
    }

    /// [`new`](Self::new), into a signal the caller already holds (a parent reads it too).
    pub fn into<Fut>(
        state: RwSignal<Option<Result<T, E>>>,
        fetch: impl Fn() -> Fut + 'static,
    ) -> Self
    where
        Fut: Future<Output = Result<T, E>> + 'static,
    {
        let fetch: Fetch<T, E> = Box::new(move || Box::pin(fetch()));
        let loader = Loader {
            state,
            fetch: StoredValue::new_local(fetch),
            generation: StoredValue::new(0),
        };
        loader.refresh();
        loader
    }

    /// Loads again, showing "loading" meanwhile.
    pub fn reload(self) {
        if self.state.try_set(None).is_none() {
            self.refresh();
        }
    }

    /// Loads again, keeping what is shown until the new answer arrives.
    pub fn refresh(self) {
        let Some(future) = untrack(|| self.fetch.try_with_value(|fetch| fetch())) else {
            return;
        };
        let Some(mine) = self.generation.try_update_value(|g| {
            *g = g.wrapping_add(1);
            *g
        }) else {
            return;
        };
        spawn_local(async move {
            let result = future.await;
            if self.generation.try_get_value() == Some(mine) {
                let _ = self.state.try_set(Some(result));
            }
        });
    }

    /// The loaded value, when there is one (reactive).
    pub fn loaded(self) -> Option<T>
    where
        T: Clone,
    {
        self.state
            .with(|s| s.as_ref().and_then(|r| r.as_ref().ok()).cloned())
    }
}

/// Runs one action in the background (a button, a form): `busy` is true until its answer, which
/// then goes to `done`. An answer arriving after the screen is gone is dropped.
pub fn act<T: 'static>(
    busy: RwSignal<bool>,
    action: impl Future<Output = T> + 'static,
    done: impl FnOnce(T) + 'static,
) {
    busy.set(true);
    spawn_local(async move {
        let answer = action.await;
        if busy.try_set(false).is_none() {
            done(answer);
        }
    });
}
