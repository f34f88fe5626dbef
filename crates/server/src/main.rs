//! `connections-server`: see `lib.rs`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use std::io::Write;

use connections_server::config::{process_env, Args, Command};
use connections_server::serve::{serve, Limits};
use connections_server::store::{OpenOptions, Store};
use connections_server::{app, guard, AppState};
use connections_server::{crypto, transfer};
use secrecy::ExposeSecret;
use tracing_subscriber::EnvFilter;

/// Log lines on stderr: text (colours only on a terminal), or one JSON object
/// per line with `CLOUDINARY_CONNECTIONS_LOG_FORMAT=json`.
fn init_logging() -> Result<(), String> {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match std::env::var("CLOUDINARY_CONNECTIONS_LOG_FORMAT").as_deref() {
        Ok("json") => builder.json().with_current_span(true).init(),
        Ok("text") | Ok("") | Err(_) => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        Ok(other) => {
            return Err(format!(
                "CLOUDINARY_CONNECTIONS_LOG_FORMAT: {other:?} is neither \"text\" nor \"json\""
            ))
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    if let Err(line) = init_logging() {
        eprintln!("connections-server: {line}");
        return ExitCode::FAILURE;
    }
    #[cfg(feature = "failpoints")]
    let _failpoints = fail::FailScenario::setup();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(line) => {
            eprintln!("connections-server: {line}");
            ExitCode::FAILURE
        }
    }
}

/// Creates the data dir readable by this user only (0700), and tightens an
/// existing one: it holds the database and the key file.
fn private_dir(dir: &Path) -> Result<(), String> {
    let err = |e: std::io::Error| {
        format!(
            "CLOUDINARY_CONNECTIONS_DATA_DIR (--data-dir): cannot create {}: {e}",
            dir.display()
        )
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir).map_err(err)?;
        let mode = std::fs::metadata(dir).map_err(err)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(err)?;
            tracing::info!(dir = %dir.display(), "made the data dir private (0700)");
        }
    }
    #[cfg(not(unix))]
    builder.create(dir).map_err(err)?;
    Ok(())
}

async fn run() -> Result<(), String> {
    let config = Args::parse().check(&process_env)?;
    private_dir(&config.data_dir)?;
    let options = || OpenOptions {
        key: config.key.as_ref(),
        database_url: config.database_url.as_ref(),
    };
    if let Command::Restore { file } = &config.command {
        Store::restore(&config.data_dir, options(), file).await?;
        eprintln!("connections-server: restored {}", file.display());
        return Ok(());
    }
    let store = Store::open(&config.data_dir, options()).await?;
    match &config.command {
        Command::Serve => {}
        Command::Restore { .. } => return Ok(()),
        Command::Backup { file } => {
            store.backup(file).await?;
            eprintln!("connections-server: wrote {}", file.display());
            return Ok(());
        }
        Command::RotateKey { new_key_file } => {
            return rotate_key(&store, &config, new_key_file).await;
        }
        Command::Export { passphrase_file } => {
            let passphrase = transfer::read_passphrase(passphrase_file)?;
            let (sealed, count) = transfer::export(&store, &passphrase).await?;
            std::io::stdout()
                .write_all(&sealed)
                .map_err(|e| format!("cannot write the export: {e}"))?;
            eprintln!("connections-server: exported {count} connections");
            return Ok(());
        }
        Command::Import {
            passphrase_file,
            file,
        } => {
            let passphrase = transfer::read_passphrase(passphrase_file)?;
            let sealed = std::fs::read(file)
                .map_err(|e| format!("import: cannot read {}: {e}", file.display()))?;
            let drivers = connections_api::drivers();
            let report = transfer::import(&store, &drivers, &sealed, &passphrase)
                .await
                .map_err(|e| format!("import: {e}"))?;
            for line in report.lines() {
                println!("{line}");
            }
            return Ok(());
        }
    }
    let mut state = AppState::new(store, config.dist.clone())?;
    state.token = config.token.as_ref().map(|t| Arc::from(t.expose_secret()));
    if let Some(settings) = &config.jwt {
        let verifier = connections_server::jwt::Verifier::load(settings.clone()).await?;
        state.jwt = Some(Arc::new(verifier));
    }
    state.cloudinary_api_base = config.cloudinary_api_base.as_deref().map(Arc::from);
    state.allowed_origins = Arc::new(config.allowed_origins.clone());
    state.verify_reuse = config.verify_reuse;
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(dist = %config.dist.display(), "no built app found; run `make build`");
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| {
            format!(
                "CLOUDINARY_CONNECTIONS_ADDR (--addr): cannot listen on {}: {e}",
                config.addr
            )
        })?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    if state.token.is_none() && state.jwt.is_none() {
        // Without a token only the loopback names are answered: a page whose
        // host name rebinds to 127.0.0.1 gets 421.
        state.allowed_hosts = Some(Arc::new(guard::loopback_hosts(local.port())));
    }
    println!("Cloudinary Connections is running at http://{local}/");
    let limits = Limits {
        max_connections: config.max_connections,
        header_timeout: config.header_timeout,
    };
    let scheduler = config
        .recheck
        .map(|interval| connections_server::schedule::Scheduler::spawn(state.clone(), interval));
    serve(listener, app(state), limits, shutdown()).await;
    if let Some(scheduler) = scheduler {
        scheduler.stop().await;
    }
    Ok(())
}

/// `rotate-key`: re-encrypts with the key in `new_key_file`; when the key came
/// from the data dir's key file, that file is replaced (after the commit).
async fn rotate_key(
    store: &Store,
    config: &connections_server::config::Config,
    new_key_file: &std::path::Path,
) -> Result<(), String> {
    use secrecy::ExposeSecret;
    let text = secrecy::SecretString::from(std::fs::read_to_string(new_key_file).map_err(|e| {
        format!(
            "--new-key-file: cannot read {}: {e}",
            new_key_file.display()
        )
    })?);
    let origin = format!("--new-key-file {}", new_key_file.display());
    let new_key = crypto::parse_key(text.expose_secret(), &origin)?;
    let count = store
        .rotate_key(&new_key)
        .await
        .map_err(|e| format!("rotate-key: nothing changed: {e}"))?;
    store.close().await;
    eprintln!("connections-server: re-encrypted the secrets of {count} connections");
    if config.key.is_none() {
        crypto::replace_key_file(&config.data_dir, &new_key)
            .map_err(|e| format!("rotate-key: the database now needs the new key, but the key file could not be replaced ({e}); copy {} to {}", new_key_file.display(), config.data_dir.join(crypto::KEY_FILE).display()))?;
        eprintln!(
            "connections-server: replaced the key file; the old key no longer opens the database"
        );
    } else {
        eprintln!(
            "connections-server: set CLOUDINARY_CONNECTIONS_KEY (or _FILE) to the new key before the next start; the old key no longer opens the database"
        );
    }
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
