"""Django's message, CSP and locale middleware, less their work where it changes nothing.

Each answer to the signup burst paid for all three (counted in instructions with valgrind,
2 to 5 % of a signup's CPU each): the message storage was built for every request, API calls
included; the CSP header was built anew for every response though it is the same text
whenever the page used no nonce; and the locale middleware looked for a language code in
the path twice a request though no URL pattern has one. Behaviour is Django's in every
other respect.
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP, build_policy
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    """The message storage is built when a view or template first touches it; a response
    whose request never did leaves the stored messages as they are, as Django's would."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if type(storage) is SimpleLazyObject and storage._wrapped is empty:
            return response
        return super().process_response(request, response)


class CachedPolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Builds a policy once per setting when the response used no nonce; with a nonce (or
    a view's own policy) Django's middleware builds it as before."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built = {}  # header -> (the config it was built from, the policy)

    def process_response(self, request, response):
        own = hasattr(response, "_csp_config") or hasattr(response, "_csp_ro_config")
        if own or getattr(request, "_csp_nonce", None):  # a used LazyNonce is true
            return super().process_response(request, response)
        for header, config in (
            (CSP.HEADER_ENFORCE, settings.SECURE_CSP),
            (CSP.HEADER_REPORT_ONLY, settings.SECURE_CSP_REPORT_ONLY),
        ):
            if config and header not in response:
                response.headers[str(header)] = self._policy(header, config)
        return response

    def _policy(self, header: str, config) -> str:
        built_from, policy = self._built.get(header, (None, ""))
        if built_from is not config:  # a new setting (override_settings in tests)
            policy = build_policy(config)
            self._built[header] = (config, policy)
        return policy


class UnprefixedLocaleMiddleware(LocaleMiddleware):
    """The language from the cookie or Accept-Language, as Django's, without looking for it
    in the path when the URLconf has no `i18n_patterns` (ours has none). Django's looks twice
    a request, and on `/api/...` takes `api` for a language code and pays for the LookupError.
    A URLconf with `i18n_patterns` goes through Django's code as before."""

    def process_request(self, request):
        if _language_in_path(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if _language_in_path(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _language_in_path(request) -> bool:
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    return is_language_prefix_patterns_used(urlconf)[0]  # cached per URLconf by Django
