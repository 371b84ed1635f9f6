//! A plain-HTTP forward proxy on 127.0.0.1 for the tests: it takes a
//! request in absolute form (`GET http://host:port/path HTTP/1.1`), as
//! clients send them to a proxy, records its request line, and forwards it
//! to `host:port` in origin form with `Connection: close`, copying the
//! answer back. No CONNECT, no chunked request bodies: enough for the
//! client's form-encoded requests to an `http://` test server.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The proxy's URL and the request lines it received.
pub fn forward_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                let _ = forward(stream, &log);
            });
        }
    });
    (format!("http://127.0.0.1:{port}"), seen)
}

/// Forwards the request of one client connection, then closes it (the
/// answer says `Connection: close`, so the client opens a new connection for
/// its next request).
fn forward(client: TcpStream, log: &Mutex<Vec<String>>) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(client.try_clone()?);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(());
    }
    let request_line = line.trim_end().to_owned();
    log.lock().unwrap().push(request_line.clone());
    let mut parts = request_line.splitn(3, ' ');
    let (method, target, version) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let rest = target
        .strip_prefix("http://")
        .expect("an absolute-form target");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut head = format!("{method} {path} {version}\r\n");
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        if header == "\r\n" || header.is_empty() {
            break;
        }
        let name = header.split(':').next().unwrap_or_default();
        let name = name.to_ascii_lowercase();
        if name == "content-length" {
            length = header[name.len() + 1..].trim().parse().unwrap_or(0);
        }
        if name != "connection" && name != "proxy-connection" {
            head.push_str(&header);
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let mut upstream = TcpStream::connect(authority)?;
    upstream.write_all(head.as_bytes())?;
    upstream.write_all(&body)?;
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer)?;
    let mut client = client;
    client.write_all(&answer)
}
