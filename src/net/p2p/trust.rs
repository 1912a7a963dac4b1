//! How an endpoint trusts a relay's certificate: by the certificate authorities, as any website
//! (the public relays, and a relay with a domain name), or by the fingerprint its URL carries
//! (a relay a friend runs without one). Never by skipping the check.

use std::io;
use std::sync::Arc;

use iroh::tls::CaTlsConfig;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest as _, Sha256};

/// The certificate authorities, and besides them the certificates whose SHA-256 is in `pins`.
pub(super) fn with_pins(pins: Vec<[u8; 32]>) -> CaTlsConfig {
    if pins.is_empty() {
        return CaTlsConfig::embedded();
    }
    let pins: Arc<[[u8; 32]]> = pins.into();
    CaTlsConfig::custom_server_cert_verifier(Arc::new(move |provider: Arc<CryptoProvider>| {
        let authorities = CaTlsConfig::embedded().server_cert_verifier(Arc::clone(&provider))?;
        let verifier: Arc<dyn ServerCertVerifier> = Arc::new(Pinned {
            pins: Arc::clone(&pins),
            authorities,
            provider,
        });
        Ok::<_, io::Error>(verifier)
    }))
}

/// The SHA-256 of a certificate (DER).
#[must_use]
pub(crate) fn fingerprint(cert: &[u8]) -> [u8; 32] {
    Sha256::digest(cert).into()
}

#[derive(Debug)]
struct Pinned {
    pins: Arc<[[u8; 32]]>,
    authorities: Arc<dyn ServerCertVerifier>,
    provider: Arc<CryptoProvider>,
}

impl Pinned {
    fn algorithms(&self) -> &rustls::crypto::WebPkiSupportedAlgorithms {
        &self.provider.signature_verification_algorithms
    }
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // The very certificate the URL names: its name and dates are the relay's own affair.
        if self.pins.contains(&fingerprint(end_entity)) {
            return Ok(ServerCertVerified::assertion());
        }
        self.authorities.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, self.algorithms())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, self.algorithms())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms().supported_schemes()
    }
}
