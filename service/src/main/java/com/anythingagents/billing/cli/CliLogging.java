package com.anythingagents.billing.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands that run without Spring (setup, doctor, dev-infra) print their own findings: the
 * libraries' logging (logback's default is DEBUG to the console) stays off their output.
 */
final class CliLogging {

    private CliLogging() {}

    /** For a background process's log file: what it started and stopped, without DEBUG chatter. */
    static void informative() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
    }

    static void quiet() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
        // the gateway logs a refused key once for the service's operators; these commands say it themselves
        ((Logger) LoggerFactory.getLogger("com.anythingagents.billing.stripe")).setLevel(Level.OFF);
    }
}
