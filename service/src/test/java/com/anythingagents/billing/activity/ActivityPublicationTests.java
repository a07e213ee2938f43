package com.anythingagents.billing.activity;

import static com.anythingagents.billing.activity.ActivityEntries.tick;
import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.BillingServiceTest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Items reach listeners after their transaction commits, never before and never for a rollback. */
@BillingServiceTest
class ActivityPublicationTests {

    @Autowired
    PlatformTransactionManager transactions;

    final List<List<ActivityEntry>> published = new CopyOnWriteArrayList<>();

    final ActivityPublication publication = publication((ActivityListener) published::add);

    private static ActivityPublication publication(ActivityListener... listeners) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        for (int i = 0; i < listeners.length; i++) {
            beans.addBean("listener" + i, listeners[i]);
        }
        return new ActivityPublication(beans.getBeanProvider(ActivityListener.class));
    }

    private TransactionTemplate transaction() {
        return new TransactionTemplate(transactions);
    }

    @Test
    void publishesATransactionsItemsTogetherOnlyOnceItCommitted() {
        transaction().executeWithoutResult(status -> {
            publication.add(tick(1));
            publication.add(tick(2));
            assertThat(published).isEmpty();
        });

        assertThat(published).containsExactly(List.of(tick(1), tick(2)));
    }

    @Test
    void publishesNothingOfARollback() {
        transaction().executeWithoutResult(status -> {
            publication.add(tick(1));
            status.setRollbackOnly();
        });

        assertThat(published).isEmpty();
    }

    @Test
    void dropsTheItemsOfARolledBackSavepoint() {
        TransactionTemplate nested = transaction();
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);

        transaction().executeWithoutResult(status -> {
            publication.add(tick(1));
            nested.executeWithoutResult(inner -> {
                publication.add(tick(2));
                inner.setRollbackOnly();
            });
            nested.executeWithoutResult(inner -> publication.add(tick(3)));
        });

        assertThat(published).containsExactly(List.of(tick(1), tick(3)));
    }

    @Test
    void aNewTransactionInsideAnotherPublishesOnItsOwnCommit() {
        TransactionTemplate requiresNew = transaction();
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

        transaction().executeWithoutResult(status -> {
            publication.add(tick(1));
            requiresNew.executeWithoutResult(inner -> publication.add(tick(7)));
            assertThat(published).containsExactly(List.of(tick(7)));
        });

        assertThat(published).containsExactly(List.of(tick(7)), List.of(tick(1)));
    }

    @Test
    void outsideATransactionTheItemCommittedWithItsStatementAndIsPublishedAtOnce() {
        publication.add(tick(1));

        assertThat(published).containsExactly(List.of(tick(1)));
    }

    @Test
    void aFailingListenerNeitherReachesTheCommitterNorStopsTheOthers() {
        ActivityListener failing = entries -> {
            throw new IllegalStateException("listener down");
        };
        ActivityPublication withFailing = publication(failing, published::add);

        transaction().executeWithoutResult(status -> withFailing.add(tick(1)));

        assertThat(published).containsExactly(List.of(tick(1)));
    }
}
