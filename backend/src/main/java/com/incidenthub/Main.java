package com.incidenthub;

public final class Main {
  public static void main(String[] args) {
  }
}
