//! `connections-server`: see `lib.rs`.

use std::process::ExitCode;
use std::sync::Arc;

use axum::serve::ListenerExt;
use clap::Parser;
use connections_server::config::Args;
use connections_server::store::{OpenOptions, Store};
use connections_server::{app, AppState};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(line) => {
            eprintln!("connections-server: {line}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let config = Args::parse().check()?;
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        format!(
            "CLOUDINARY_CONNECTIONS_DATA_DIR (--data-dir): cannot create {}: {e}",
            config.data_dir.display()
        )
    })?;
    let store = Store::open(
        &config.data_dir,
        OpenOptions {
            key: config.key.as_ref(),
        },
    )
    .await?;
    let mut state = AppState::new(store, config.dist.clone());
    state.token = config.token.as_deref().map(Arc::from);
    state.cloudinary_api_base = config.cloudinary_api_base.as_deref().map(Arc::from);
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
    println!("Cloudinary Connections is running at http://{local}/");
    // No Nagle delay: a response written in several chunks (the app's files) would
    // otherwise wait for the client's delayed ACK, about 40 ms per response.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("server stopped: {e}"))
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
