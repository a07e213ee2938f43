package com.anythingagents.stripe.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The emulator's hosted pages: escaping, money, dates and one accessible page layout. */
final class Html {

    /** What a page handler answers: a page with its status, or a redirect (303) after a form POST. */
    record Result(int status, String body, String redirect) {

        static Result page(int status, String body) {
            return new Result(status, body, null);
        }

        static Result seeOther(String location) {
            return new Result(303, "", location);
        }
    }

    private static final Set<String> ZERO_DECIMAL = Set.of(
            "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof",
            "xpf");
    private static final Map<String, String> SYMBOLS = Map.of("usd", "$", "eur", "€", "gbp", "£");
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String STYLE =
            "body{font-family:system-ui,sans-serif;margin:0;background:#f6f8fa;color:#1a1f36}"
                    + "main{max-width:40rem;margin:2rem auto;background:#fff;padding:2rem;border-radius:8px;"
                    + "box-shadow:0 1px 3px rgba(0,0,0,.15)}"
                    + "label{display:block;margin-top:1rem;font-weight:600}"
                    + "input,select{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;"
                    + "font-size:1rem;border:1px solid #6b7280;border-radius:4px}"
                    + "fieldset{border:1px solid #d1d5db;border-radius:4px;margin-top:1rem}"
                    + "button{margin-top:1.5rem;padding:.75rem 1.5rem;font-size:1rem;background:#0a2540;color:#fff;"
                    + "border:0;border-radius:4px;cursor:pointer}"
                    + "button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #635bff;"
                    + "outline-offset:2px}"
                    + "table{width:100%;border-collapse:collapse;margin-top:1rem}th,td{text-align:left;padding:.5rem;"
                    + "border-bottom:1px solid #e5e7eb}"
                    + ".alert{background:#fde8e8;color:#8a1c1c;padding:.75rem;border-radius:4px;margin-top:1rem}"
                    + ".notice{background:#e6f4ea;color:#14532d;padding:.75rem;border-radius:4px;margin-top:1rem}"
                    + ".test{color:#92400e;font-size:.875rem}section{border-top:1px solid #e5e7eb;margin-top:1.5rem}";

    private Html() {}

    static String page(String title, String main) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title)
                + "</title><style>" + STYLE + "</style></head><body><main>"
                + "<p class=\"test\">Test mode — Stripe emulator</p>" + main + "</main></body></html>";
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** {@code $29.00}, {@code €5.50}, {@code ¥500} style: minor units shown in the currency's own decimals. */
    static String money(long minor, String currency) {
        String code = currency.toLowerCase(Locale.ROOT);
        String sign = minor < 0 ? "-" : "";
        long abs = Math.abs(minor);
        String amount =
                ZERO_DECIMAL.contains(code) ? Long.toString(abs) : String.format("%d.%02d", abs / 100, abs % 100);
        String symbol = SYMBOLS.get(code);
        return symbol != null ? sign + symbol + amount : sign + amount + " " + code.toUpperCase(Locale.ROOT);
    }

    /** {@code per month}, {@code every 3 months}. */
    static String interval(JsonNode recurring) {
        String unit = recurring.path("interval").asString("month");
        long count = recurring.path("interval_count").asLong(1);
        return count == 1 ? "per " + unit : "every " + count + " " + unit + "s";
    }

    /** A price as the customer reads it: {@code $29.00 per month}, or per unit for metered prices. */
    static String price(JsonNode price) {
        String amount =
                money(price.path("unit_amount").asLong(), price.path("currency").asString("usd"));
        JsonNode recurring = price.path("recurring");
        if (!recurring.isObject()) {
            return amount;
        }
        if ("metered".equals(recurring.path("usage_type").asString())) {
            return unitMoney(price) + " per unit, " + interval(recurring) + ", billed on usage";
        }
        return amount + " " + interval(recurring);
    }

    /** A metered unit price, which may be a fraction of a minor unit ({@code $0.005}). */
    private static String unitMoney(JsonNode price) {
        String code = price.path("currency").asString("usd").toLowerCase(Locale.ROOT);
        java.math.BigDecimal minor =
                new java.math.BigDecimal(price.path("unit_amount_decimal").asString("0"));
        java.math.BigDecimal major = ZERO_DECIMAL.contains(code) ? minor : minor.movePointLeft(2);
        String amount = major.setScale(Math.max(
                        ZERO_DECIMAL.contains(code) ? 0 : 2,
                        major.stripTrailingZeros().scale()))
                .toPlainString();
        String symbol = SYMBOLS.get(code);
        return symbol != null ? symbol + amount : amount + " " + code.toUpperCase(Locale.ROOT);
    }

    static String date(long epochSecond) {
        return DAY.format(Instant.ofEpochSecond(epochSecond));
    }
}
