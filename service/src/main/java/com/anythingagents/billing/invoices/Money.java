package com.anythingagents.billing.invoices;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/** Minor units as people read them in activity summaries: {@code $29.00}, {@code 1500 JPY}. */
final class Money {

    private Money() {}

    static String format(long minorUnits, String currencyCode) {
        if (currencyCode == null || currencyCode.isBlank()) {
            return minorUnits + " (minor units)";
        }
        Currency currency;
        try {
            currency = Currency.getInstance(currencyCode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            return minorUnits + " " + currencyCode.toUpperCase(Locale.ROOT) + " (minor units)";
        }
        // zero-decimal currencies (JPY, KRW, …) have no minor unit to shift
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        String amount = BigDecimal.valueOf(minorUnits, digits).toPlainString();
        return "USD".equals(currency.getCurrencyCode())
                ? (minorUnits < 0 ? "-$" + amount.substring(1) : "$" + amount)
                : amount + " " + currency.getCurrencyCode();
    }
}
