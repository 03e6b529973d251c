package io.userpipeline.ingestor.schedule;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import io.userpipeline.ingestor.IngestionConfig;

/**
 * Runs ingestion on the configured interval or cron expression. A run that is still going on when the next one
 * is due makes that one skip, so runs never overlap, and the schedule can be paused and resumed at run time.
 */
@ApplicationScoped
public class IngestionSchedule {

    private static final Logger LOG = Logger.getLogger(IngestionSchedule.class);
    static final String JOB = "ingestion";

    private final Scheduler scheduler;
    private final IngestionRunner runner;
    private final IngestionConfig config;

    IngestionSchedule(Scheduler scheduler, IngestionRunner runner, IngestionConfig config) {
        this.scheduler = scheduler;
        this.runner = runner;
        this.config = config;
    }

    void schedule(@Observes StartupEvent startup) {
        if (!isScheduled()) {
            LOG.infof("Ingestion schedule is off (ingestion.interval=off): runs happen only on POST /ingestion/trigger");
            return;
        }
        var job = scheduler.newJob(JOB)
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> runner.tryStart()
                        .map(run -> run.completion().replaceWithVoid())
                        .orElseGet(() -> Uni.createFrom().voidItem()));
        config.cron().ifPresentOrElse(job::setCron, () -> job.setInterval(config.interval()));
        job.schedule();
        if (config.startPaused()) {
            scheduler.pause(JOB);
        }
        LOG.infof("Ingestion scheduled %s from the %s source, %d profiles per run%s", describe(), runner.sourceName(),
                config.batchSize(), config.startPaused() ? " (paused: POST /ingestion/resume starts it)" : "");
    }

    public boolean isScheduled() {
        return config.cron().isPresent() || !"off".equals(config.interval());
    }

    public boolean isPaused() {
        return isScheduled() && scheduler.isPaused(JOB);
    }

    public void pause() {
        requireSchedule();
        scheduler.pause(JOB);
        LOG.info("Ingestion schedule paused");
    }

    public void resume() {
        requireSchedule();
        scheduler.resume(JOB);
        LOG.info("Ingestion schedule resumed");
    }

    public String describe() {
        return config.cron().map(cron -> "cron " + cron)
                .orElse(isScheduled() ? "every " + config.interval() : "off");
    }

    private void requireSchedule() {
        if (!isScheduled()) {
            throw new IllegalStateException("There is no schedule to pause or resume (ingestion.interval=off and no"
                    + " ingestion.cron); set one, or trigger runs with POST /ingestion/trigger");
        }
    }
}
