//! A minimal UPnP Internet Gateway Device client: SSDP search, the device description, and four
//! SOAP actions (`GetExternalIPAddress`, `GetSpecificPortMappingEntry`, `AddPortMapping`,
//! `DeletePortMapping`) on the router's `WANIPConnection` (or `WANPPPConnection`) service.
//!
//! Written here rather than taken from a crate: the async UPnP crates bring a whole HTTP stack
//! (hyper, h2), about 2.8 MB of binary, for what is one plain HTTP/1.1 request per action.
//! Every read is bounded in size and time; nothing here retries by itself.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::timeout;

/// The SSDP multicast group and port.
const SSDP: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(239, 255, 255, 250)), 1900);

/// What is searched for: the gateway device, version 1 and 2 (version 2 answers version 1 too).
const SEARCH_TARGETS: [&str; 2] = [
    "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
    "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
];

/// The services that map ports, most wanted first.
const SERVICES: [&str; 3] = [
    "urn:schemas-upnp-org:service:WANIPConnection:2",
    "urn:schemas-upnp-org:service:WANIPConnection:1",
    "urn:schemas-upnp-org:service:WANPPPConnection:1",
];

/// The most read from a router for one request.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// How long one HTTP request may take.
const REQUEST_LIMIT: Duration = Duration::from_millis(800);

/// Why a UPnP step failed.
#[derive(Debug)]
pub(super) enum UpnpFailure {
    /// Nothing answered, or the answer was not UPnP.
    NoAnswer(String),
    /// The router answered with a UPnP error.
    Upnp {
        /// The UPnP error code (for example 718 `ConflictInMappingEntry`, 501 `ActionFailed`).
        code: u16,
        /// The router's words.
        description: String,
    },
}

/// An `http://host:port/path` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Url {
    host: String,
    port: u16,
    path: String,
}

impl Url {
    fn parse(text: &str) -> Option<Self> {
        let rest = text.trim().strip_prefix("http://")?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
                (host, port.parse().ok()?)
            }
            _ => (authority, 80),
        };
        if host.is_empty() {
            return None;
        }
        Some(Self {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            path: path.to_owned(),
        })
    }

    /// `reference` (absolute, or a path) resolved against this URL.
    fn join(&self, reference: &str) -> Option<Self> {
        let reference = reference.trim();
        if reference.starts_with("http://") {
            return Self::parse(reference);
        }
        let path = if reference.starts_with('/') {
            reference.to_owned()
        } else {
            format!("/{reference}")
        };
        Some(Self {
            host: self.host.clone(),
            port: self.port,
            path,
        })
    }

    fn host_header(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// A router's port-mapping service.
#[derive(Clone, Debug)]
pub(super) struct Gateway {
    control: Url,
    service: &'static str,
    /// The router's address on this network.
    pub(super) ip: IpAddr,
}

/// Searches for the router (multicast, and straight at `gateway` when it is known), then reads
/// its description. Bounded by `limit` in all.
pub(super) async fn search(
    gateway: Option<Ipv4Addr>,
    limit: Duration,
) -> Result<Gateway, UpnpFailure> {
    let started = Instant::now();
    let location = timeout(limit, ssdp(gateway))
        .await
        .map_err(|_elapsed| UpnpFailure::NoAnswer("no UPnP answer to the search".to_owned()))??;
    let left = limit.saturating_sub(started.elapsed());
    let description = timeout(left, http(&location, "GET", &[], ""))
        .await
        .map_err(|_elapsed| {
            UpnpFailure::NoAnswer("the description did not come in time".to_owned())
        })??;
    if description.status != 200 {
        return Err(UpnpFailure::NoAnswer(format!(
            "the description answered HTTP {}",
            description.status
        )));
    }
    let (service, control) = control_url(&description.body).ok_or_else(|| {
        UpnpFailure::NoAnswer("the router offers no port-mapping service".to_owned())
    })?;
    let control = location
        .join(&control)
        .ok_or_else(|| UpnpFailure::NoAnswer(format!("bad control URL {control:?}")))?;
    let ip = resolve(&control).await?.ip();
    Ok(Gateway {
        control,
        service,
        ip,
    })
}

/// Sends the M-SEARCH requests and waits for the first answer with a `LOCATION`.
async fn ssdp(gateway: Option<Ipv4Addr>) -> Result<Url, UpnpFailure> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .await
        .map_err(|e| UpnpFailure::NoAnswer(e.to_string()))?;
    let mut targets = vec![SSDP];
    if let Some(gateway) = gateway {
        targets.push(SocketAddr::new(IpAddr::V4(gateway), 1900));
    }
    let mut buffer = vec![0; 2048];
    // Two rounds: UDP may be lost, and a router may miss the first multicast.
    for round in 0..2_u32 {
        let mut sent = false;
        for st in SEARCH_TARGETS {
            let request = format!(
                "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nST: {st}\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n\r\n"
            );
            for target in &targets {
                match socket.send_to(request.as_bytes(), target).await {
                    Ok(_) => sent = true,
                    Err(error) => tracing::debug!(%error, %target, "SSDP search not sent"),
                }
            }
        }
        if !sent {
            return Err(UpnpFailure::NoAnswer(
                "no route for the UPnP search".to_owned(),
            ));
        }
        let wait = Duration::from_millis(if round == 0 { 400 } else { 700 });
        let deadline = tokio::time::Instant::now() + wait;
        while let Ok(received) =
            tokio::time::timeout_at(deadline, socket.recv_from(&mut buffer)).await
        {
            let Ok((n, from)) = received else { break };
            let text = String::from_utf8_lossy(&buffer[..n]);
            if let Some(url) = header(&text, "location").and_then(Url::parse) {
                tracing::debug!(%from, location = %url.path, "UPnP gateway answered");
                return Ok(url);
            }
        }
    }
    Err(UpnpFailure::NoAnswer(
        "no UPnP answer to the search".to_owned(),
    ))
}

/// The value of header `name` (any case) in an HTTP-like message.
fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

/// The first port-mapping service in a device description, and its control URL.
fn control_url(xml: &str) -> Option<(&'static str, String)> {
    let services: Vec<&str> = xml.split("<service>").skip(1).collect();
    SERVICES.iter().find_map(|wanted| {
        services.iter().find_map(|block| {
            let block = block.split("</service>").next().unwrap_or(block);
            (tag_text(block, "serviceType")? == *wanted)
                .then(|| tag_text(block, "controlURL").map(str::to_owned))
                .flatten()
                .map(|url| (*wanted, url))
        })
    })
}

/// The text inside the first `<name>…</name>` (with or without a namespace prefix).
fn tag_text<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(at) = xml[from..].find(name) {
        let start = from + at;
        let before = xml[..start].chars().next_back();
        let after = xml[start + name.len()..].chars().next();
        from = start + name.len();
        let opening = match before {
            Some('<') => true,
            // `<u:name>`: a prefix made of name characters back to the `<`.
            Some(':') => xml[..start - 1]
                .rfind('<')
                .is_some_and(|lt| !xml[lt + 1..start - 1].contains(['/', '>', ' '])),
            _ => false,
        };
        if !opening || !matches!(after, Some('>' | ' ')) {
            continue;
        }
        let content_start = from + xml[from..].find('>')? + 1;
        let end = xml[content_start..].find("</")?;
        return Some(xml[content_start..content_start + end].trim());
    }
    None
}

/// An HTTP response: its status and body.
struct Response {
    status: u16,
    body: String,
}

async fn resolve(url: &Url) -> Result<SocketAddr, UpnpFailure> {
    tokio::net::lookup_host((url.host.as_str(), url.port))
        .await
        .map_err(|e| UpnpFailure::NoAnswer(e.to_string()))?
        .next()
        .ok_or_else(|| UpnpFailure::NoAnswer(format!("{} has no address", url.host)))
}

/// One HTTP/1.1 request with `Connection: close`; the body is read to the end of the stream.
async fn http(
    url: &Url,
    method: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Response, UpnpFailure> {
    let exchange = async {
        let addr = resolve(url).await?;
        let mut stream = TcpStream::connect(addr)
            .await
            .map_err(|e| UpnpFailure::NoAnswer(e.to_string()))?;
        let mut request = format!(
            "{method} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            url.path,
            url.host_header(),
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| UpnpFailure::NoAnswer(e.to_string()))?;
        let mut raw = Vec::new();
        let mut limited = (&mut stream).take(MAX_RESPONSE_BYTES as u64);
        limited
            .read_to_end(&mut raw)
            .await
            .map_err(|e| UpnpFailure::NoAnswer(e.to_string()))?;
        parse_response(&raw)
    };
    timeout(REQUEST_LIMIT, exchange)
        .await
        .map_err(|_elapsed| UpnpFailure::NoAnswer("the router did not answer in time".to_owned()))?
}

fn parse_response(raw: &[u8]) -> Result<Response, UpnpFailure> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| UpnpFailure::NoAnswer("an incomplete HTTP answer".to_owned()))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| UpnpFailure::NoAnswer("not an HTTP answer".to_owned()))?;
    let chunked = header(head, "transfer-encoding")
        .is_some_and(|value| value.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Ok(Response { status, body })
}

/// The body of a chunked transfer, as far as it is well formed.
fn dechunk(mut rest: &str) -> String {
    let mut body = String::new();
    while let Some((size_line, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16);
        let Ok(size) = size else { break };
        if size == 0 || after.len() < size {
            break;
        }
        body.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    body
}

impl Gateway {
    /// Calls `action` with `args`; the response body on success.
    async fn soap(&self, action: &str, args: &[(&str, String)]) -> Result<String, UpnpFailure> {
        let mut inner = String::new();
        for (name, value) in args {
            inner.push_str(&format!("<{name}>{}</{name}>", escape(value)));
        }
        let body = format!(
            "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" \
             s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>\
             <u:{action} xmlns:u=\"{service}\">{inner}</u:{action}></s:Body></s:Envelope>\r\n",
            service = self.service
        );
        let soap_action = format!("\"{}#{action}\"", self.service);
        let response = http(
            &self.control,
            "POST",
            &[
                ("Content-Type", "text/xml; charset=\"utf-8\""),
                ("SOAPAction", &soap_action),
            ],
            &body,
        )
        .await?;
        if response.status == 200 {
            return Ok(response.body);
        }
        match tag_text(&response.body, "errorCode").and_then(|code| code.parse().ok()) {
            Some(code) => Err(UpnpFailure::Upnp {
                code,
                description: tag_text(&response.body, "errorDescription")
                    .unwrap_or("")
                    .to_owned(),
            }),
            None => Err(UpnpFailure::NoAnswer(format!(
                "{action} answered HTTP {}",
                response.status
            ))),
        }
    }

    /// The router's internet address, as it reports it (`None`: it reports none).
    pub(super) async fn external_ip(&self) -> Result<Option<IpAddr>, UpnpFailure> {
        let body = self.soap("GetExternalIPAddress", &[]).await?;
        Ok(tag_text(&body, "NewExternalIPAddress").and_then(|ip| ip.parse().ok()))
    }

    /// Who holds `external_port` for TCP, if anyone: the internal client and the description.
    pub(super) async fn entry(
        &self,
        external_port: u16,
    ) -> Result<Option<(String, String)>, UpnpFailure> {
        let args = [
            ("NewRemoteHost", String::new()),
            ("NewExternalPort", external_port.to_string()),
            ("NewProtocol", "TCP".to_owned()),
        ];
        match self.soap("GetSpecificPortMappingEntry", &args).await {
            Ok(body) => Ok(Some((
                tag_text(&body, "NewInternalClient")
                    .unwrap_or("")
                    .to_owned(),
                tag_text(&body, "NewPortMappingDescription")
                    .unwrap_or("")
                    .to_owned(),
            ))),
            // 714 NoSuchEntryInArray; some routers answer 402 or 501 for a free port.
            Err(UpnpFailure::Upnp { .. }) => Ok(None),
            Err(failure) => Err(failure),
        }
    }

    /// Forwards `external_port` (TCP) to `client:internal_port` for `lease_s` seconds (0: until
    /// removed).
    pub(super) async fn add(
        &self,
        external_port: u16,
        client: Ipv4Addr,
        internal_port: u16,
        description: &str,
        lease_s: u32,
    ) -> Result<(), UpnpFailure> {
        let args = [
            ("NewRemoteHost", String::new()),
            ("NewExternalPort", external_port.to_string()),
            ("NewProtocol", "TCP".to_owned()),
            ("NewInternalPort", internal_port.to_string()),
            ("NewInternalClient", client.to_string()),
            ("NewEnabled", "1".to_owned()),
            ("NewPortMappingDescription", description.to_owned()),
            ("NewLeaseDuration", lease_s.to_string()),
        ];
        self.soap("AddPortMapping", &args).await.map(drop)
    }

    /// Removes the forwarding of `external_port` (TCP).
    pub(super) async fn delete(&self, external_port: u16) -> Result<(), UpnpFailure> {
        let args = [
            ("NewRemoteHost", String::new()),
            ("NewExternalPort", external_port.to_string()),
            ("NewProtocol", "TCP".to_owned()),
        ];
        self.soap("DeletePortMapping", &args).await.map(drop)
    }
}

/// XML text escaping for argument values.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let url = Url::parse("http://192.168.77.1:5000/rootDesc.xml").unwrap();
        assert_eq!(url.host, "192.168.77.1");
        assert_eq!(url.port, 5000);
        assert_eq!(url.path, "/rootDesc.xml");
        assert_eq!(url.join("/ctl/IPConn").unwrap().path, "/ctl/IPConn");
        assert_eq!(url.join("ctl/IPConn").unwrap().path, "/ctl/IPConn");
        assert_eq!(
            url.join("http://10.0.0.1/x").unwrap(),
            Url::parse("http://10.0.0.1:80/x").unwrap()
        );
        assert_eq!(Url::parse("http://[fd00::1]:80/d").unwrap().host, "fd00::1");
        assert!(Url::parse("https://x/").is_none());
    }

    #[test]
    fn the_port_mapping_service_is_found_in_a_description() {
        let xml = "<root><device><serviceList>\
            <service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType>\
            <controlURL>/ctl/L3F</controlURL></service></serviceList><deviceList><device>\
            <serviceList><service>\
            <serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>\
            <serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>\
            <controlURL>/ctl/IPConn</controlURL>\
            </service></serviceList></device></deviceList></device></root>";
        assert_eq!(
            control_url(xml),
            Some((SERVICES[1], "/ctl/IPConn".to_owned()))
        );
        assert_eq!(control_url("<root></root>"), None);
    }

    #[test]
    fn soap_answers_are_read_with_or_without_prefixes() {
        let ok = "<s:Envelope><s:Body><u:GetExternalIPAddressResponse xmlns:u=\"x\">\
            <NewExternalIPAddress>203.0.113.1</NewExternalIPAddress>\
            </u:GetExternalIPAddressResponse></s:Body></s:Envelope>";
        assert_eq!(tag_text(ok, "NewExternalIPAddress"), Some("203.0.113.1"));
        let fault = "<s:Fault><detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\">\
            <errorCode>718</errorCode><errorDescription>ConflictInMappingEntry</errorDescription>\
            </UPnPError></detail></s:Fault>";
        assert_eq!(tag_text(fault, "errorCode"), Some("718"));
        assert_eq!(
            tag_text("<a:errorCode>1</a:errorCode>", "errorCode"),
            Some("1")
        );
        assert_eq!(
            tag_text(
                "<NewExternalIPAddressX>1</NewExternalIPAddressX>",
                "NewExternalIPAddress"
            ),
            None
        );
    }

    #[test]
    fn http_answers_plain_and_chunked() {
        let plain = parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi").unwrap();
        assert_eq!((plain.status, plain.body.as_str()), (200, "hi"));
        let chunked = parse_response(
            b"HTTP/1.1 500 Internal\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!((chunked.status, chunked.body.as_str()), (500, "abcde"));
        assert!(parse_response(b"garbage").is_err());
    }
}
