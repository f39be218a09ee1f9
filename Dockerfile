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
EXPOSE 8004
CMD ["python", "-m", "api"]
