package com.anythingagents.stripe.emulator;

import java.util.Map;
import java.util.Optional;

/**
 * Stripe's test card numbers and what each does when paying. Any other number is refused the way
 * test mode refuses it: an invalid number, or a real card used in test mode.
 */
final class TestCards {

    /** A refused card: Stripe's error code, decline code and the message Checkout shows. */
    record Decline(String code, String declineCode, String message) {}

    private static final String DECLINED = "Your card was declined.";

    private static final Map<String, Decline> DECLINES = Map.of(
            "4000000000000002", new Decline("card_declined", "generic_decline", DECLINED),
            "4000000000009995",
                    new Decline("card_declined", "insufficient_funds", DECLINED + " Your card has insufficient funds."),
            "4000000000009987", new Decline("card_declined", "lost_card", DECLINED),
            "4000000000009979", new Decline("card_declined", "stolen_card", DECLINED),
            "4000000000000341", new Decline("card_declined", "generic_decline", DECLINED),
            "4000000000000069", new Decline("expired_card", "expired_card", "Your card has expired."),
            "4000000000000127",
                    new Decline("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
            "4000000000000119",
                    new Decline(
                            "processing_error",
                            "processing_error",
                            "An error occurred while processing your card. Try again in a little bit."));

    private static final Map<String, String> APPROVED = Map.of(
            "4242424242424242", "visa",
            "4000056655665556", "visa",
            "5555555555554444", "mastercard",
            "2223003122003222", "mastercard",
            "378282246310005", "amex",
            "6011111111111117", "discover");

    private TestCards() {}

    static String digits(String number) {
        return number == null ? "" : number.replaceAll("[\\s-]", "");
    }

    /** Empty when the card pays; the decline otherwise. */
    static Optional<Decline> decline(String number) {
        String card = digits(number);
        if (APPROVED.containsKey(card)) {
            return Optional.empty();
        }
        if (DECLINES.containsKey(card)) {
            return Optional.of(DECLINES.get(card));
        }
        if (!card.matches("\\d{12,19}") || !luhn(card)) {
            return Optional.of(new Decline("incorrect_number", null, "Your card number is incorrect."));
        }
        return Optional.of(new Decline(
                "card_declined",
                "test_mode_live_card",
                DECLINED + " Your request was in test mode, but used a non test card. For a list of valid test cards,"
                        + " visit: https://stripe.com/docs/testing."));
    }

    static String brand(String number) {
        return APPROVED.getOrDefault(digits(number), "visa");
    }

    private static boolean luhn(String card) {
        int sum = 0;
        for (int i = 0; i < card.length(); i++) {
            int d = card.charAt(card.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
