//! The one loader every screen uses: the newest load wins over an older answer that arrives
//! late, a reload shows "loading" while a refresh keeps what is shown, and an action's answer
//! after its screen is gone is dropped rather than written into disposed signals; a second action
//! while one is on its way does nothing. A list loaded by pages appends them in order, drops a
//! page of a read that a restart replaced, and asks a failed page again only on retry.

use citizen_cloud::state::loader::{Loader, Pages, act};
use js_sys::{Function, Promise};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::convert::Infallible;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Answers the test holds back and releases in the order it chooses.
#[derive(Clone, Default)]
struct Held(Rc<RefCell<Vec<Function>>>);

impl Held {
    /// A future that ends when the test releases it, with the number of the call.
    fn answer(&self) -> impl Future<Output = Result<u32, Infallible>> + use<> {
        let number = self.0.borrow().len() as u32;
        let held = self.0.clone();
        let promise = Promise::new(&mut |resolve, _| held.borrow_mut().push(resolve));
        async move {
            let _ = JsFuture::from(promise).await;
            Ok(number)
        }
    }

    fn release(&self, call: usize) {
        let resolve = self.0.borrow()[call].clone();
        resolve.call0(&JsValue::NULL).unwrap();
    }

    fn calls(&self) -> usize {
        self.0.borrow().len()
    }
}

/// Lets every task that can run, run (a timer fires after the microtasks).
async fn settle() {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// The executor the app's mount starts, and an owner for the signals.
fn start() -> Owner {
    leptos::mount::mount_to_body(|| ());
    Owner::new()
}

#[wasm_bindgen_test]
async fn an_older_answer_arriving_after_a_newer_one_is_dropped() {
    let owner = start();
    let held = Held::default();
    let loader = owner.with(|| {
        let held = SendWrapper::new(held.clone());
        Loader::new(move || held.answer())
    });
    assert_eq!(held.calls(), 1, "loading starts at once");
    loader.reload();
    assert_eq!(held.calls(), 2);
    held.release(1);
    settle().await;
    assert_eq!(loader.state.get_untracked(), Some(Ok(1)));
    held.release(0);
    settle().await;
    assert_eq!(
        loader.state.get_untracked(),
        Some(Ok(1)),
        "the late answer must not win"
    );
}

#[wasm_bindgen_test]
async fn a_reload_shows_loading_and_a_refresh_keeps_what_is_shown() {
    let owner = start();
    let held = Held::default();
    let loader = owner.with(|| {
        let held = SendWrapper::new(held.clone());
        Loader::new(move || held.answer())
    });
    assert_eq!(loader.state.get_untracked(), None);
    held.release(0);
    settle().await;
    assert_eq!(loader.loaded(), Some(0));
    loader.refresh();
    assert_eq!(
        loader.state.get_untracked(),
        Some(Ok(0)),
        "a refresh keeps it"
    );
    held.release(1);
    settle().await;
    assert_eq!(loader.loaded(), Some(1));
    loader.reload();
    assert_eq!(loader.state.get_untracked(), None, "a reload shows loading");
    held.release(2);
    settle().await;
    assert_eq!(loader.loaded(), Some(2));
}

#[wasm_bindgen_test]
async fn an_action_holds_busy_until_its_answer_and_drops_it_once_the_screen_is_gone() {
    let owner = start();
    let held = Held::default();
    let done = Rc::new(RefCell::new(Vec::new()));
    let busy = owner.with(|| RwSignal::new(false));
    {
        let done = done.clone();
        act(busy, held.answer(), move |n| done.borrow_mut().push(n));
    }
    assert!(busy.get_untracked(), "busy while the answer is awaited");
    held.release(0);
    settle().await;
    assert!(!busy.get_untracked());
    assert_eq!(*done.borrow(), vec![Ok(0)]);

    {
        let done = done.clone();
        act(busy, held.answer(), move |n| done.borrow_mut().push(n));
    }
    drop(owner);
    held.release(1);
    settle().await;
    assert_eq!(
        done.borrow().len(),
        1,
        "the answer after the screen is gone is dropped"
    );
}

#[wasm_bindgen_test]
async fn a_second_action_while_the_first_is_on_its_way_does_nothing() {
    let owner = start();
    let held = Held::default();
    let done = Rc::new(RefCell::new(Vec::new()));
    let busy = owner.with(|| RwSignal::new(false));
    for _ in 0..2 {
        let done = done.clone();
        act(busy, held.answer(), move |n| done.borrow_mut().push(n));
    }
    held.release(1);
    held.release(0);
    settle().await;
    assert_eq!(*done.borrow(), vec![Ok(0)], "only the first action ran");
    assert!(!busy.get_untracked());
}

/// The cursors a list's pages were asked by, in order.
type Asked = Rc<RefCell<Vec<Option<u32>>>>;

/// A list whose `n`-th load (counted by `held`) answers the one item `n`, and a next page while
/// `n < 3`; or fails while `fail` is set.
fn paged(
    owner: &Owner,
    held: &Held,
    asked: &Asked,
    fail: &Rc<Cell<bool>>,
) -> Pages<u32, u32, &'static str> {
    let held = SendWrapper::new(held.clone());
    let asked = SendWrapper::new(asked.clone());
    let fail = SendWrapper::new(fail.clone());
    owner.with(|| {
        Pages::new(move |from| {
            asked.borrow_mut().push(from);
            let answer = held.answer();
            let failing = fail.get();
            async move {
                let n = answer.await.unwrap_or_else(|never| match never {});
                match failing {
                    true => Err("no answer"),
                    false => Ok((vec![n], (n < 3).then_some(n + 1))),
                }
            }
        })
    })
}

#[wasm_bindgen_test]
async fn pages_append_in_order_and_a_restart_replaces_them_dropping_an_older_page() {
    let owner = start();
    let (held, asked, fail) = (Held::default(), Asked::default(), Rc::default());
    let pages = paged(&owner, &held, &asked, &fail);
    assert!(
        pages.loading.get_untracked(),
        "the first page is asked at once"
    );
    assert!(!pages.loaded.get_untracked());
    held.release(0);
    settle().await;
    assert_eq!(pages.items.get_untracked(), vec![0]);
    assert!(pages.loaded.get_untracked() && !pages.loading.get_untracked());

    pages.more();
    pages.more();
    assert_eq!(*asked.borrow(), vec![None, Some(1)], "one page at a time");
    held.release(1);
    settle().await;
    assert_eq!(pages.items.get_untracked(), vec![0, 1]);

    pages.more();
    pages.restart();
    assert_eq!(*asked.borrow(), vec![None, Some(1), Some(2), None]);
    held.release(2);
    settle().await;
    assert_eq!(
        pages.items.get_untracked(),
        vec![0, 1],
        "a page of the read the restart replaced is dropped"
    );
    held.release(3);
    settle().await;
    assert_eq!(pages.items.get_untracked(), vec![3]);
    assert_eq!(pages.next.get_untracked(), None);
    pages.more();
    assert_eq!(
        asked.borrow().len(),
        4,
        "after the last page, nothing more is asked"
    );
}

#[wasm_bindgen_test]
async fn a_failed_page_is_asked_again_on_retry_only() {
    let owner = start();
    let (held, asked, fail) = (
        Held::default(),
        Asked::default(),
        Rc::<Cell<bool>>::default(),
    );
    let pages = paged(&owner, &held, &asked, &fail);
    held.release(0);
    settle().await;
    fail.set(true);
    pages.more();
    held.release(1);
    settle().await;
    assert_eq!(pages.failure.get_untracked(), Some("no answer"));
    assert_eq!(pages.items.get_untracked(), vec![0], "what is shown stays");
    pages.more();
    assert_eq!(asked.borrow().len(), 2, "a failure waits for retry");

    fail.set(false);
    pages.retry();
    assert_eq!(*asked.borrow(), vec![None, Some(1), Some(1)]);
    assert_eq!(pages.failure.get_untracked(), None);
    held.release(2);
    settle().await;
    assert_eq!(pages.items.get_untracked(), vec![0, 2]);
}
