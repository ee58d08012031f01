// The engine configures Serilog's static Log and SecretRedactor is process-wide, as in a real build: one collection, one run at a time.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
