//! The one way a screen loads something in the background: a signal that is `None` while the
//! answer is awaited, filled by a spawned task, with reload and refresh; `components::loaded`
//! shows it the one way (loading, the failure in plain words with a retry button, or the data).
//! A plain signal rather than a `LocalResource` with `Suspense` keeps Leptos's async machinery
//! (tens of KB) out of the bundle. [`Pages`] loads a long list a page at a time the same way, and
//! [`act`] runs one action (a button, a form).

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;

type Fetch<T, E> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Result<T, E>>>> + Send + Sync>;

/// How to load, and which load is the newest: an older answer arriving late is dropped.
struct Fetcher<F> {
    fetch: F,
    generation: u32,
}

/// Starts a load with `fetcher`'s function (through `start`), the newest: `done` gets its answer
/// unless another load has started since. Once the screen is gone, nothing is loaded, and an
/// answer still on its way is dropped.
fn newest<F, Fut>(
    fetcher: StoredValue<Fetcher<F>>,
    start: impl FnOnce(&F) -> Fut,
    done: impl FnOnce(Fut::Output) + 'static,
) where
    F: Send + Sync + 'static,
    Fut: Future + 'static,
{
    let Some((future, mine)) = untrack(|| {
        fetcher.try_update_value(|f| {
            f.generation = f.generation.wrapping_add(1);
            (start(&f.fetch), f.generation)
        })
    }) else {
        return;
    };
    spawn_local(async move {
        let answer = future.await;
        if fetcher.try_update_value(|f| f.generation) == Some(mine) {
            done(answer);
        }
    });
}

/// Something loaded in the background: `state` is `None` while the first answer is awaited.
pub struct Loader<T: 'static, E: 'static> {
    pub state: RwSignal<Option<Result<T, E>>>,
    fetcher: StoredValue<Fetcher<Fetch<T, E>>>,
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
    pub fn new<Fut>(fetch: impl Fn() -> Fut + Send + Sync + 'static) -> Self
    where
        Fut: Future<Output = Result<T, E>> + 'static,
    {
        Loader::into(RwSignal::new(None), fetch)
    }

    /// [`new`](Self::new), into a signal the caller already holds (a parent reads it too).
    pub fn into<Fut>(
        state: RwSignal<Option<Result<T, E>>>,
        fetch: impl Fn() -> Fut + Send + Sync + 'static,
    ) -> Self
    where
        Fut: Future<Output = Result<T, E>> + 'static,
    {
        let loader = Loader {
            state,
            fetcher: StoredValue::new(Fetcher {
                fetch: Box::new(move || Box::pin(fetch())),
                generation: 0,
            }),
        };
        loader.refresh();
        loader
    }

    /// Loads again, showing "loading" meanwhile.
    pub fn reload(self) {
        // Setting a signal of a screen that is gone does nothing.
        self.state.set(None);
        self.refresh();
    }

    /// Loads again, keeping what is shown until the new answer arrives. Once the screen is gone,
    /// nothing is loaded, and an answer still on its way is dropped.
    pub fn refresh(self) {
        newest(
            self.fetcher,
            |fetch| fetch(),
            move |result| self.state.set(Some(result)),
        );
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

type PageFetch<T, C, E> = Box<
    dyn Fn(Option<C>) -> Pin<Box<dyn Future<Output = Result<(Vec<T>, Option<C>), E>>>>
        + Send
        + Sync,
>;

/// A long list loaded a page at a time: the first page at once and on every [`restart`]
/// (replacing what is shown when it arrives), the next one on [`more`] (appended). A page is
/// asked by the cursor the previous one gave (`None`: the first page); a load that failed is
/// asked again by [`retry`]. Only the newest load's answer counts, as with [`Loader`].
///
/// [`restart`]: Pages::restart
/// [`more`]: Pages::more
/// [`retry`]: Pages::retry
pub struct Pages<T: 'static, C: 'static, E: 'static> {
    /// The items loaded so far, in order.
    pub items: RwSignal<Vec<T>>,
    /// Where the next page starts; `None` once the last page is loaded (or none yet).
    pub next: RwSignal<Option<C>>,
    /// Whether a first page has arrived (until then, an empty list says nothing).
    pub loaded: RwSignal<bool>,
    /// Whether a page is on its way.
    pub loading: RwSignal<bool>,
    /// Why the last load failed, until the next one starts.
    pub failure: RwSignal<Option<E>>,
    fetcher: StoredValue<Fetcher<PageFetch<T, C, E>>>,
    /// The cursor of the last page asked, which [`retry`](Pages::retry) asks again.
    asked: StoredValue<Option<C>>,
}

impl<T, C, E> Clone for Pages<T, C, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, C, E> Copy for Pages<T, C, E> {}

impl<T, C, E> Pages<T, C, E>
where
    T: Send + Sync + 'static,
    C: Clone + Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    /// Starts loading the first page now with `fetch`, which is given each page's cursor.
    pub fn new<Fut>(fetch: impl Fn(Option<C>) -> Fut + Send + Sync + 'static) -> Self
    where
        Fut: Future<Output = Result<(Vec<T>, Option<C>), E>> + 'static,
    {
        let pages = Pages {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            loaded: RwSignal::new(false),
            loading: RwSignal::new(false),
            failure: RwSignal::new(None),
            fetcher: StoredValue::new(Fetcher {
                fetch: Box::new(move |from| Box::pin(fetch(from))),
                generation: 0,
            }),
            asked: StoredValue::new(None),
        };
        pages.restart();
        pages
    }

    /// Reads the list again from its first page; what is shown stays until that page arrives.
    pub fn restart(self) {
        self.load(None);
    }

    /// The next page, unless there is none, one is on its way, or the last load failed (that
    /// waits for [`retry`](Self::retry), rather than asking again in a loop).
    pub fn more(self) {
        let idle = !self.loading.get_untracked() && self.failure.with_untracked(Option::is_none);
        if let (true, Some(from)) = (idle, self.next.get_untracked()) {
            self.load(Some(from));
        }
    }

    /// Asks again the page whose load failed.
    pub fn retry(self) {
        if let Some(from) = self.asked.try_get_value() {
            self.load(from);
        }
    }

    fn load(self, from: Option<C>) {
        let first = from.is_none();
        self.asked.set_value(from.clone());
        self.failure.set(None);
        self.loading.set(true);
        newest(
            self.fetcher,
            |fetch| fetch(from),
            move |result| {
                self.loading.set(false);
                match result {
                    Ok((items, next)) if first => {
                        self.items.set(items);
                        self.loaded.set(true);
                        self.next.set(next);
                    }
                    Ok((items, next)) => {
                        self.items.update(|l| l.extend(items));
                        self.next.set(next);
                    }
                    Err(e) => self.failure.set(Some(e)),
                }
            },
        );
    }
}

/// Runs one action in the background (a button, a form): `busy` is true until its answer, which
/// then goes to `done`. While `busy`, another action does nothing (a second tap sends nothing);
/// an answer arriving after the screen is gone is dropped.
pub fn act<T: 'static>(
    busy: RwSignal<bool>,
    action: impl Future<Output = T> + 'static,
    done: impl FnOnce(T) + 'static,
) {
    if busy.try_get_untracked() != Some(false) {
        return;
    }
    busy.set(true);
    spawn_local(async move {
        let answer = action.await;
        if busy.try_set(false).is_none() {
            done(answer);
        }
    });
}
