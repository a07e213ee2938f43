package com.anythingagents.billing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anythingagents.billing.ManualPipelineConfiguration.SettableClock;
import com.anythingagents.billing.ManualPipelineTest;
import com.anythingagents.billing.events.EventFilter;
import com.anythingagents.billing.events.EventInbox;
import com.anythingagents.billing.events.EventOperations;
import com.anythingagents.billing.events.ProbeHandler;
import com.anythingagents.billing.events.ReceivedEvent;
import com.anythingagents.billing.events.StoredEvent;
import com.anythingagents.billing.events.TestEvents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** `replay list` shows operators the events whose tenant evidence disagreed, with both values. */
@ManualPipelineTest
class ReplayListCommandTests {

    @Autowired
    EventOperations events;

    @Autowired
    EventInbox inbox;

    @Autowired
    SettableClock clock;

    @Autowired
    JsonMapper json;

    @Test
    void conflictsFilterListsFlaggedEventsAndTheTableShowsBothTenants() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String customer = "cus_list" + run;
        process(probe(customer, "list-a-" + run));
        String flagged = process(probe(customer, "list-b-" + run));
        EventFilter filter =
                parse("replay", "list", "--status", "all", "--conflicts").filter(clock.instant());

        List<StoredEvent> listed = events.list(filter);
        StringWriter out = new StringWriter();
        EventTable.print(new PrintWriter(out, true), listed);

        assertThat(filter.conflictsOnly()).isTrue();
        assertThat(listed).extracting(StoredEvent::stripeEventId).contains(flagged);
        assertThat(listed).allSatisfy(e -> assertThat(e.tenantConflict()).isPresent());
        assertThat(out.toString())
                .contains("TENANT_CONFLICT")
                .contains(flagged)
                .contains("tenant conflict: metadata.tenant_id names tenant list-b-" + run)
                .contains("belongs to tenant list-a-" + run);
    }

    private ObjectNode probe(String customer, String tenant) {
        ObjectNode object =
                json.createObjectNode().put("id", "obj_" + UUID.randomUUID()).put("object", "probe");
        object.put("customer", customer).putObject("metadata").put("tenant_id", tenant);
        return object;
    }

    private String process(ObjectNode object) {
        String id = TestEvents.newId("evt_list_");
        inbox.accept(ReceivedEvent.parse(TestEvents.bytes(id, ProbeHandler.TYPE, clock.instant(), object), json));
        assertThat(events.replay(id).processed()).isTrue();
        return id;
    }

    private static ReplayListCommand parse(String... args) {
        CommandLine cli = new CommandLine(new BillingCommand());
        CommandLine.ParseResult result = cli.parseArgs(args);
        return (ReplayListCommand)
                result.subcommand().subcommand().commandSpec().userObject();
    }
}
