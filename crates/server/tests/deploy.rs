//! `deploy/connections-server.service`: the hardening it promises, and
//! `systemd-analyze verify` finds nothing in it (where Debian's systemd is installed).

use std::path::Path;
use std::process::Command;

const UNIT: &str = include_str!("../../../deploy/connections-server.service");

#[test]
fn the_unit_is_hardened() {
    for line in [
        "DynamicUser=yes",
        "StateDirectory=connections-server",
        "StateDirectoryMode=0700",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=",
        "Environment=CLOUDINARY_CONNECTIONS_DATA_DIR=/var/lib/connections-server",
    ] {
        assert!(UNIT.lines().any(|l| l == line), "missing {line}");
    }
    assert!(
        !UNIT.contains("CLOUDINARY_CONNECTIONS_TOKEN="),
        "no secret in the unit; they go into the EnvironmentFile"
    );
}

#[test]
fn systemd_analyze_verify_finds_nothing() {
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        // Not a systemd machine: the text checks above are all that can run.
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    // verify wants an executable ExecStart: point it at the binary just built.
    let unit = UNIT.replace(
        "ExecStart=/usr/local/bin/connections-server",
        &format!("ExecStart={}", env!("CARGO_BIN_EXE_connections-server")),
    );
    let path = dir.path().join("connections-server.service");
    std::fs::write(&path, unit).expect("write");
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(Path::new(&path))
        .output()
        .expect("run systemd-analyze");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.trim().is_empty(), "warnings: {err}");
}
