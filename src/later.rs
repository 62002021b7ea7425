//! Code fetched later: [`later!`] declares a function whose body lives in a named wasm chunk of
//! the release bundle (`--cfg wasm_split`), fetched the first time it is called, and which runs in
//! place elsewhere (tests, `trunk serve`). Either way it is `async` and returns
//! `Result<_, SplitLoaderError>`, the error being a chunk that could not be fetched. Screens use
//! `pages/lazy.rs`'s `chunk!`, which declares theirs with this and adds their stylesheets.

/// `later!(chunk: fn name(args) -> T { body })`, or `later!(chunk, preload_name: …)` to also get
/// `preload_name()`, which fetches the chunk without running anything.
macro_rules! later {
    ($chunk:ident $(, $preload:ident)?: $(#[$doc:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty $body:block) => {
        $(#[$doc])*
        #[cfg(wasm_split)]
        #[leptos::wasm_split::wasm_split(
            $chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible
            $(, preload($preload))?
        )]
        $vis fn $name($($arg: $ty),*) -> Result<$out, leptos::wasm_split::SplitLoaderError> {
            Ok($body)
        }

        $(#[$doc])*
        #[cfg(not(wasm_split))]
        $vis async fn $name($($arg: $ty),*) -> Result<$out, leptos::wasm_split::SplitLoaderError> {
            Ok($body)
        }

        $(
            #[cfg(not(wasm_split))]
            #[allow(dead_code, reason = "not every chunk is fetched ahead")]
            $vis async fn $preload() -> Result<(), leptos::wasm_split::SplitLoaderError> {
                Ok(())
            }
        )?
    };
}

pub(crate) use later;
