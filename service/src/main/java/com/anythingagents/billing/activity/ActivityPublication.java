package com.anythingagents.billing.activity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Holds the items a transaction wrote and hands them to the {@link ActivityListener}s from
 * {@code afterCommit}: never inside the transaction (a subscriber would read a row that may still
 * roll back) and never for a rollback. Items written inside a savepoint that is rolled back are
 * dropped with it (Spring's nested transactions; savepoints taken on the raw JDBC connection are
 * invisible here). Outside a transaction the row committed with its statement: published at once.
 */
@Component
class ActivityPublication {

    private static final Logger log = LoggerFactory.getLogger(ActivityPublication.class);

    // resolved on first use: the listeners (the live stream) read the ledger, which writes through here
    private final ObjectProvider<ActivityListener> listenerProvider;

    private volatile List<ActivityListener> listeners;

    ActivityPublication(ObjectProvider<ActivityListener> listenerProvider) {
        this.listenerProvider = listenerProvider;
    }

    void add(ActivityEntry entry) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            publish(List.of(entry));
            return;
        }
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            pending = new Pending();
            TransactionSynchronizationManager.bindResource(this, pending);
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        pending.entries.add(entry);
    }

    private void publish(List<ActivityEntry> entries) {
        List<ActivityListener> current = listeners;
        if (current == null) {
            current = listenerProvider.orderedStream().toList();
            listeners = current;
        }
        for (ActivityListener listener : current) {
            try {
                listener.committed(entries);
            } catch (RuntimeException ex) {
                // afterCommit exceptions reach the committer, and the worker would mark a committed
                // event as failed: the ledger is written, a lost publication is caught up from it
                log.warn("Activity listener {} failed; clients catch up from the ledger", listener, ex);
            }
        }
    }

    /** One transaction's items; bound to it, so a suspended transaction keeps its own. */
    private final class Pending implements TransactionSynchronization {

        private final List<ActivityEntry> entries = new ArrayList<>();

        private final Map<Object, Integer> savepoints = new HashMap<>();

        @Override
        public void savepoint(Object savepoint) {
            savepoints.put(savepoint, entries.size());
        }

        @Override
        public void savepointRollback(Object savepoint) {
            Integer size = savepoints.get(savepoint);
            if (size != null && size < entries.size()) {
                entries.subList(size, entries.size()).clear();
            }
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(ActivityPublication.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(ActivityPublication.this, this);
        }

        @Override
        public void afterCommit() {
            if (!entries.isEmpty()) {
                publish(List.copyOf(entries));
            }
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(ActivityPublication.this);
        }
    }
}
