package com.anythingagents.billing;

import com.anythingagents.billing.cli.BillingCommand;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The billing service; {@link #main} is the CLI ({@code serve} by default). */
@SpringBootApplication
public class BillingApplication {

    public static void main(String[] args) {
        System.exit(BillingCommand.execute(BillingApplication.class, args));
    }
}
