//! The consented issuer fetch: the issuer's discovery document and JWKS (gloo-net; https:
//! issuers only, the issuer's origin only, no redirect followed, no credentials sent; the keys
//! cached per Cache-Control in a [`jwks::Cache`]). The URL checks are pure (jwks::discovery_url
//! / keys_url). The extension calls it only after the user consented.

use std::cell::RefCell;

use crate::{issuer::Issuer, jwks};

thread_local! {
    static JWKS_CACHE: RefCell<jwks::Cache> = RefCell::new(jwks::Cache::default());
}

/// One GET. No redirect is followed (`manual`: a 3xx comes back as an opaque redirect and is
/// refused here, so no second host is ever contacted), no cookie or HTTP auth is sent (`omit`),
/// nothing comes from or goes to the HTTP cache (`no-store`; the JWKS cache is our own, per
/// max-age) and no Referer is sent. https://fetch.spec.whatwg.org/#concept-request-redirect-mode
async fn get(url: &str) -> Result<gloo_net::http::Response, String> {
    let response = gloo_net::http::Request::get(url)
        .header("Accept", "application/json")
        .redirect(web_sys::RequestRedirect::Manual)
        .credentials(web_sys::RequestCredentials::Omit)
        .cache(web_sys::RequestCache::NoStore)
        .referrer_policy(web_sys::ReferrerPolicy::NoReferrer)
        .send()
        .await
        .map_err(|e| format!("GET {url} failed: {e}"))?;
    if response.type_() == web_sys::ResponseType::Opaqueredirect || response.redirected() {
        // The reason first: the finding shows at most 120 characters of it.
        return Err(format!(
            "the issuer answered with a redirect, which Okta Medic does not follow (GET {url})"
        ));
    }
    if response.ok() {
        Ok(response)
    } else {
        Err(format!("GET {url} answered HTTP {}", response.status()))
    }
}

/// The issuer's published keys: discovery → `jwks_uri` (same origin) → the JWKS, at most two
/// requests, none for the keys while they are cached.
pub(super) async fn keys(issuer: &Issuer) -> Result<Vec<jwks::Key>, String> {
    let discovery = get(&jwks::discovery_url(issuer)?).await?;
    let doc: serde_json::Value =
        serde_json::from_str(&discovery.text().await.map_err(|e| e.to_string())?)
            .map_err(|e| format!("the discovery document is not JSON: {e}"))?;
    let uri = doc
        .get("jwks_uri")
        .and_then(serde_json::Value::as_str)
        .ok_or("the discovery document has no jwks_uri")?;
    let uri = jwks::keys_url(issuer, uri)?;
    let now_ms = js_sys::Date::now();
    let cached = JWKS_CACHE.with(|c| c.borrow().get(&uri, now_ms).map(str::to_string));
    let body = match cached {
        Some(body) => body,
        None => {
            let response = get(&uri).await?;
            let cache_control = response.headers().get("cache-control");
            let body = response.text().await.map_err(|e| e.to_string())?;
            JWKS_CACHE.with(|c| {
                c.borrow_mut()
                    .put(&uri, &body, cache_control.as_deref(), now_ms)
            });
            body
        }
    };
    jwks::parse(&body)
}
