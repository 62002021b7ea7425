//! The one loader every screen uses: the newest load wins over an older answer that arrives
//! late, a reload shows "loading" while a refresh keeps what is shown, and an action's answer
//! after its screen is gone is dropped rather than written into disposed signals.

use citizen_cloud::state::loader::{Loader, act};
use js_sys::{Function, Promise};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::RefCell;
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
