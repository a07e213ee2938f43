package com.anythingagents.billing.setup;

import com.anythingagents.billing.config.Mask;
import com.anythingagents.billing.doctor.Finding;
import com.anythingagents.billing.doctor.StripeAccount;
import com.anythingagents.billing.stripe.StripeGateway;
import java.net.URI;
import java.util.Optional;

/**
 * The secret key: asked without echo, its prefix checked (a publishable key or a webhook secret is
 * named as such), test mode unless {@code --live} says otherwise, then tried against Stripe.
 */
final class KeyStep {

    private static final int ATTEMPTS = 3;

    private KeyStep() {}

    /** @return false when there is no usable key (nothing will be written) */
    static boolean run(SetupRun run) {
        run.heading("Stripe secret key");
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<String> key = candidate(run);
            if (key.isEmpty()) {
                run.report(Finding.error(
                        "secret key",
                        "none given and none configured",
                        "pass --secret-key sk_test_… (or set STRIPE_SECRET_KEY), or run `make stripe-setup` in a"
                                + " terminal"));
                return false;
            }
            Optional<Finding> problem = shapeProblem(key.get(), run.options.live());
            if (problem.isEmpty()) {
                return accept(run, key.get());
            }
            run.report(problem.get());
            if (!run.prompts.interactive() || run.options.secretKey().isPresent()) {
                return false;
            }
        }
        return false;
    }

    private static Optional<String> candidate(SetupRun run) {
        if (run.options.secretKey().isPresent()) {
            return run.options.secretKey().map(String::strip);
        }
        Optional<String> current = run.current("STRIPE_SECRET_KEY");
        String answer = run.prompts.askSecret(
                "Stripe secret key (sk_test_… or rk_test_…, Dashboard → Developers → API keys; input hidden)",
                current.map(Mask::secret));
        return answer.isEmpty() ? current : Optional.of(answer);
    }

    /** What is wrong with the key's shape, if anything. */
    static Optional<Finding> shapeProblem(String key, boolean liveAllowed) {
        Optional<String> mode = StripeAccount.mode(key);
        if (mode.isEmpty()) {
            String what = key.startsWith("pk_")
                    ? "a publishable key: the service needs the secret one"
                    : key.startsWith("whsec_") ? "a webhook signing secret, not an API key" : "not a Stripe secret key";
            return Optional.of(Finding.error(
                    "secret key",
                    Mask.secret(key) + " is " + what,
                    "use a key starting with sk_test_ or rk_test_ (sk_live_/rk_live_ with --live)"));
        }
        if (mode.get().equals("live") && !liveAllowed) {
            return Optional.of(Finding.error(
                    "secret key",
                    Mask.secret(key) + " is a LIVE key: real customers, real charges",
                    "use a test-mode key (sk_test_/rk_test_), or pass --live to set up live mode on purpose"));
        }
        return Optional.empty();
    }

    private static boolean accept(SetupRun run, String key) {
        if (StripeAccount.mode(key).orElseThrow().equals("live")) {
            run.report(Finding.warning(
                    "secret key",
                    Mask.secret(key) + " is a LIVE key (--live given): real customers, real charges",
                    "keep live keys out of development machines"));
        }
        run.secretKey = key;
        run.changes.put("ENABLE_BILLING", "true");
        run.changes.put("STRIPE_SECRET_KEY", key);
        run.options.apiBase().ifPresent(base -> run.changes.put("STRIPE_API_BASE", base.toString()));
        if (run.options.offline()) {
            run.report(Finding.info("secret key", Mask.secret(key) + " not checked against Stripe (--offline)"));
            return true;
        }
        Optional<URI> apiBase = run.effective("STRIPE_API_BASE").map(URI::create);
        StripeGateway gateway = StripeGateway.connect(key, apiBase);
        StripeAccount.KeyCheck check = new StripeAccount(gateway, key, apiBase).checkKey();
        switch (check.status()) {
            case REFUSED -> {
                run.report(check.finding());
                return false;
            }
            case UNREACHABLE -> {
                // the key may well be right; whatever needs Stripe later says so
                run.report(Finding.warning(
                        "secret key",
                        check.finding().message() + "; the key is not verified",
                        "check the network, or pass --offline to skip Stripe (then map existing prices with"
                                + " --prices)"));
                return true;
            }
            default -> {
                run.report(check.finding());
                run.stripe = Optional.of(gateway);
                return true;
            }
        }
    }
}
