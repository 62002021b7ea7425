//! `citizen-server`: serves the Citizen Cloud bundle. `--help` lists the flags.

use citizen_server::cli::admin::{self, HostForm, PersonForm};
use citizen_server::cli::demo;
use citizen_server::clock::{Clock, SystemClock};
use citizen_server::http::base_path::BasePath;
use citizen_server::sms::{SmsSettings, WebhookUrl};
use citizen_server::store::db::Database;
use citizen_server::store::housekeeping;
use citizen_server::store::sms::SmsKey;
use citizen_server::{AppState, PublicUrl, Settings, app};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(version, about = "Citizen Cloud reference server")]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Address to listen on.
    #[arg(long, env = "CITIZEN_HOST", default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Port to listen on.
    #[arg(long, env = "CITIZEN_PORT", default_value_t = 8080)]
    port: u16,
    /// The built bundle (tools/bundle.mjs's output).
    #[arg(long, env = "CITIZEN_DIST", default_value = "dist")]
    dist: PathBuf,
    /// URL prefix to serve the app under, e.g. /community/.
    #[arg(long, env = "CITIZEN_BASE_PATH", default_value = "/")]
    base_path: BasePath,
    /// A config.json to serve instead of the bundle's own.
    #[arg(long, env = "CITIZEN_CONFIG")]
    config: Option<PathBuf>,
    /// Where the server keeps its files: the SQLite database (unless --database names another)
    /// and the SMS log. Created if missing.
    #[arg(long, env = "CITIZEN_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// The database: sqlite:PATH, or postgres://user@host:port/name for several replicas sharing
    /// one store. Default: citizen-cloud.sqlite3 in the data directory.
    #[arg(long, env = "CITIZEN_DATABASE", global = true)]
    database: Option<Database>,
    /// Where photos' bytes are kept: file:///a/shared/directory (or /a/shared/directory), or
    /// s3://bucket[/prefix] for an
    /// S3-compatible store (credentials, region and endpoint from the AWS_* variables:
    /// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT, AWS_ALLOW_HTTP).
    /// Default: in the database, with the rest.
    #[arg(long, env = "CITIZEN_PHOTOS")]
    photos: Option<String>,
    /// The key SMS codes are hashed under: 32 random bytes in base64url, the same on every
    /// replica (required with a PostgreSQL database; keep it in the secret store, never on the
    /// command line). Without it a server on SQLite makes its own at start.
    #[arg(long, env = "CITIZEN_SMS_KEY", hide_env_values = true)]
    sms_key: Option<SmsKey>,
    /// Two letters that start every tracking number (CD for Chengdu).
    #[arg(long, env = "CITIZEN_CITY", default_value = "CD")]
    city: String,
    /// The most minutes of a member's service the community pool pays for per calendar month
    /// (China time), pending and credited together: 2400 is 40 hours.
    #[arg(long, env = "CITIZEN_POOL_CAP_MINUTES", default_value_t = 2400)]
    pool_cap_minutes: u32,
    /// Seed the demo community (three accounts with a published password, and volunteering to
    /// try). Off unless asked for: a real deployment starts empty (see `add-person`).
    #[arg(long, env = "CITIZEN_DEMO")]
    demo: bool,
    /// The server runs behind a reverse proxy that appends the caller's address to
    /// X-Forwarded-For: rate limits count that address (the last hop). Without this flag the
    /// header is ignored, since anyone can send it.
    #[arg(long, env = "CITIZEN_TRUSTED_PROXY")]
    trusted_proxy: bool,
    /// The address residents open the app at, e.g. https://city.example/community/; absolute
    /// links (Open311's media_url) start with it. Without it they are left out.
    #[arg(long, env = "CITIZEN_PUBLIC_URL")]
    public_url: Option<PublicUrl>,
    /// How sign-up and password-reset codes are sent: `log` writes them to the server's log and
    /// to sms.log in the data directory (for trying the server); `webhook` POSTs JSON
    /// {"mobile", "text"} to --sms-webhook-url, signed with --sms-webhook-secret.
    #[arg(long, env = "CITIZEN_SMS", value_enum, default_value_t = SmsKind::Log)]
    sms: SmsKind,
    /// The SMS gateway's URL for `--sms webhook`: http://host[:port]/path.
    #[arg(long, env = "CITIZEN_SMS_WEBHOOK_URL")]
    sms_webhook_url: Option<WebhookUrl>,
    /// The secret shared with the SMS gateway: each POST carries
    /// `X-Citizen-Signature: sha256=<hex HMAC-SHA-256 of the body>` under it.
    #[arg(long, env = "CITIZEN_SMS_WEBHOOK_SECRET", hide_env_values = true)]
    sms_webhook_secret: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SmsKind {
    Log,
    Webhook,
}

/// The SMS settings the flags ask for, or why they do not make sense.
fn sms_settings(args: &Args) -> Result<SmsSettings, String> {
    match args.sms {
        SmsKind::Log => Ok(SmsSettings::Log),
        SmsKind::Webhook => {
            let url = args
                .sms_webhook_url
                .clone()
                .ok_or("--sms webhook needs --sms-webhook-url (or CITIZEN_SMS_WEBHOOK_URL)")?;
            let secret = args
                .sms_webhook_secret
                .clone()
                .filter(|s| s.len() >= 16)
                .ok_or("--sms webhook needs --sms-webhook-secret (or CITIZEN_SMS_WEBHOOK_SECRET) of at least 16 characters")?;
            Ok(SmsSettings::Webhook { url, secret })
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Create an account (e.g. a clean deployment's first staff member). The password is read
    /// from CITIZEN_NEW_PASSWORD or, when that is unset, from the first line of standard input.
    AddPerson {
        /// Mainland mobile number.
        #[arg(long)]
        mobile: String,
        /// The name other people see.
        #[arg(long)]
        name: String,
        /// resident, volunteer or staff; repeat or separate with commas.
        #[arg(long = "role", value_delimiter = ',', required = true)]
        roles: Vec<String>,
        /// The community the account belongs to (the demo's is `demo`).
        #[arg(long)]
        community: String,
    },
    /// Register a host app that embeds Citizen Cloud and signs its residents in with single-use
    /// codes (POST /api/v1/host/sign-in-codes). Prints its client id and secret once.
    AddHost {
        /// What staff call the host app.
        #[arg(long)]
        name: String,
        /// The origin its page is served from: https://host[:port] (http only on localhost).
        #[arg(long)]
        origin: String,
        /// The community it serves: it signs in that community's people and creates residents
        /// there (the demo's is `demo`).
        #[arg(long)]
        community: String,
        /// A number with no account gets a resident account when the host signs it in.
        #[arg(long)]
        may_create_residents: bool,
    },
}

fn new_password() -> std::io::Result<String> {
    if let Ok(password) = std::env::var("CITIZEN_NEW_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn run_command(database: &Database, command: Command) -> ExitCode {
    match command {
        Command::AddPerson {
            mobile,
            name,
            roles,
            community,
        } => add_person(database, mobile, name, roles, community).await,
        Command::AddHost {
            name,
            origin,
            community,
            may_create_residents,
        } => {
            let form = HostForm {
                name: &name,
                origin: &origin,
                community: &community,
                may_create_residents,
            };
            match admin::add_host(database, form, SystemClock.now()).await {
                Ok(credentials) => {
                    print!("{}", admin::host_added(&name, &credentials));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("citizen-server: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

async fn add_person(
    database: &Database,
    mobile: String,
    name: String,
    roles: Vec<String>,
    community: String,
) -> ExitCode {
    let password = match new_password() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("citizen-server: cannot read the password: {e}");
            return ExitCode::FAILURE;
        }
    };
    let form = PersonForm {
        mobile: &mobile,
        name: &name,
        roles: &roles,
        community: &community,
        password: &password,
    };
    match admin::add_person(database, form, SystemClock.now()).await {
        Ok(id) => {
            println!("Added person {id}: {name}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("citizen-server: {e}");
            ExitCode::FAILURE
        }
    }
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
    let database = args
        .database
        .clone()
        .unwrap_or_else(|| Database::in_data_dir(&args.data_dir));
    if let Some(command) = args.command {
        return run_command(&database, command).await;
    }
    let sms = match sms_settings(&args) {
        Ok(sms) => sms,
        Err(e) => {
            eprintln!("citizen-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let photos = match args.photos.as_deref().map(|raw| {
        citizen_server::store::photo_objects::PhotoStore::new(
            raw,
            citizen_server::store::photo_objects::PhotoStore::options_from_env(),
        )
    }) {
        None => None,
        Some(Ok(store)) => Some(store),
        Some(Err(e)) => {
            eprintln!("citizen-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let settings = Settings {
        dist: args.dist,
        base_path: args.base_path,
        config: args.config,
        data_dir: args.data_dir,
        database: args.database,
        demo: args.demo,
        city: args.city,
        pool_cap_minutes: args.pool_cap_minutes,
        trusted_proxy: args.trusted_proxy,
        public_url: args.public_url,
        sms,
        sms_key: args.sms_key,
        photos,
    };
    let state = match AppState::load(&settings, Arc::new(SystemClock)).await {
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
    // The bound address, so that `--port 0` reports the port it got.
    let addr = listener.local_addr().unwrap_or(addr);
    println!(
        "Citizen Cloud is serving at http://{addr}{}",
        settings.base_path
    );
    println!("Data: {}", database.describe());
    match &settings.photos {
        Some(store) => println!("Photos: {}", store.describe()),
        None => println!("Photos: in the database"),
    }
    if settings.demo {
        println!("Demo accounts (password {}):", demo::PASSWORD);
        for account in demo::ACCOUNTS {
            let roles: Vec<&str> = account.roles.iter().map(|r| r.as_str()).collect();
            println!(
                "  {}  {}  {}",
                account.mobile,
                account.name,
                roles.join(", ")
            );
        }
        println!(
            "Demo host app (node examples/host/serve.mjs, origin {}): client id {}, secret {}",
            demo::HOST_ORIGIN,
            demo::HOST_CLIENT_ID,
            demo::HOST_SECRET
        );
    }
    housekeeping::spawn(state.clone(), housekeeping::EVERY);
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    if let Err(e) = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
    {
        eprintln!("citizen-server: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
