"""The study's Experiments 1-5 on our high-fidelity model and on the published data.

definitions  what each experiment trains (tables as data) and the run-size settings
paper        the study's published numbers
datasets     datasets made on demand and cached under a key derived from their provenance
training     one training run through neurorom-cli, cached; summaries over runs
tables       CSV and Markdown tables
plots        loss curves, predictions against truth, RMSE against hidden size, saliency heat maps
saliency     input saliency of a trained model (neurorom-cli saliency)
report       docs/results.md
"""
