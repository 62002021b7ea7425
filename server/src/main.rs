//! `citizen-server`: serves the Citizen Cloud bundle. `--help` lists the flags.

use citizen_server::base_path::BasePath;
use citizen_server::{AppState, Settings, app};
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(version, about = "Citizen Cloud reference server")]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "CITIZEN_HOST", default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Port to listen on.
    #[arg(long, env = "CITIZEN_PORT", default_value_t = 8080)]
    port: u16,
    /// The built bundle (Trunk's output).
    #[arg(long, env = "CITIZEN_DIST", default_value = "dist")]
    dist: PathBuf,
    /// URL prefix to serve the app under, e.g. /community/.
    #[arg(long, env = "CITIZEN_BASE_PATH", default_value = "/")]
    base_path: BasePath,
    /// A config.json to serve instead of the bundle's own.
    #[arg(long, env = "CITIZEN_CONFIG")]
    config: Option<PathBuf>,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let settings = Settings {
        dist: args.dist,
        base_path: args.base_path,
        config: args.config,
    };
    let state = match AppState::load(&settings) {
        Ok(state) => state,
        Err(e) => {
            eprintln!("citizen-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = SocketAddr::new(args.host, args.port);
    let listener = match TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("citizen-server: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Citizen Cloud is serving at http://{addr}{}",
        settings.base_path
    );
    if let Err(e) = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
    {
        eprintln!("citizen-server: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
