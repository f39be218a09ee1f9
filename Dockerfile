# One image for the API and the worker; the command chooses which runs.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY api api
COPY workflows workflows
COPY activities activities
COPY templates templates
COPY listings listings
COPY service service
COPY worker.py ./
RUN pip install --no-cache-dir .
ENV HEAT_TEMPORAL_API_HOST=0.0.0.0
# 8004: the API; 9100 and 9101: the worker's metrics and the Temporal SDK's (docs/operations.md).
EXPOSE 8004 9100 9101
CMD ["python", "-m", "api"]
